"""Pure decisions of recovery: step order, priority from severity, owner choice with 回避.

No ORM, no settings, no clock: callers pass plain values and get plain answers, so every branch is
tested in a table. The services in `recovery.services` apply these answers to rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

STEPS: tuple[str, ...] = ("apology", "fix", "empathy", "atonement", "follow_up")
NEVER_SKIPPED = frozenset({"apology", "follow_up"})


@dataclass(frozen=True)
class StepRefusal:
    code: str
    step: str
    expected: str | None = None


def next_step(done: Iterable[str]) -> str | None:
    """The first step of the round not yet recorded (or skipped), or None when all five are done."""
    seen = set(done)
    return next((s for s in STEPS if s not in seen), None)


def check_step(step: str, done: Iterable[str], *, skipping: bool) -> StepRefusal | None:
    """Whether `step` may be recorded now, given the steps already recorded or skipped in this round."""
    if step not in STEPS:
        return StepRefusal("unknown_step", step)
    done = list(done)
    if step in done:
        return StepRefusal("step_already_recorded", step)
    expected = next_step(done)
    if step != expected:
        return StepRefusal("step_out_of_order", step, expected)
    if skipping and step in NEVER_SKIPPED:
        return StepRefusal("step_cannot_be_skipped", step)
    return None


@dataclass(frozen=True)
class Severity:
    segment: str
    customer_value: Decimal
    loss_amount: Decimal | None
    repeat_failures_90d: int
    touchpoint_criticality: int | None
    escalation_flags: Sequence[str] = ()


@dataclass(frozen=True)
class PriorityAnswer:
    score: int
    level: int
    factors: list[dict]


SEGMENT_POINTS = {"key_account": 15, "group": 10}
VALUE_POINTS = ((Decimal("50000"), 15), (Decimal("10000"), 10), (Decimal("3000"), 5))
LOSS_POINTS = ((Decimal("50000"), 20), (Decimal("10000"), 15), (Decimal("1000"), 8), (Decimal("0.01"), 3))
LEVELS = ((70, 1), (45, 2), (25, 3))


def _banded(amount: Decimal | None, bands: tuple[tuple[Decimal, int], ...]) -> int:
    if amount is None:
        return 0
    return next((points for floor, points in bands if amount >= floor), 0)


def priority(sev: Severity) -> PriorityAnswer:
    """Score 0–100 from severity, with each contributing factor named so the case can show why.

    Repeat failures weigh most: a second failure within 90 days is a double deviation (二次偏离), and the
    seeds warn that repeated failures turn a forgiving customer away for good.
    """
    factors: list[dict] = []

    def add(code: str, points: int, value: object) -> None:
        if points:
            factors.append({"code": code, "points": points, "value": str(value)})

    add("segment", SEGMENT_POINTS.get(sev.segment, 0), sev.segment)
    add("customer_value", _banded(sev.customer_value, VALUE_POINTS), sev.customer_value)
    add("loss_amount", _banded(sev.loss_amount, LOSS_POINTS), sev.loss_amount)
    repeats = sev.repeat_failures_90d
    add("repeat_failures", 25 if repeats >= 2 else 15 if repeats == 1 else 0, repeats)
    if sev.touchpoint_criticality:
        add("touchpoint_criticality", 5 * sev.touchpoint_criticality, sev.touchpoint_criticality)
    add("escalation", 20 if sev.escalation_flags else 0, ",".join(sev.escalation_flags))
    score = min(100, sum(f["points"] for f in factors))
    level = next((lvl for floor, lvl in LEVELS if score >= floor), 4)
    return PriorityAnswer(score=score, level=level, factors=factors)


@dataclass(frozen=True)
class Candidate:
    user_id: int
    distance: int  # 0 = the case's own org unit, 1 = its parent, …
    open_cases: int


def choose_owner(candidates: Iterable[Candidate], excluded: Iterable[int]) -> int | None:
    """The nearest handler by org distance, then the lightest workload, never one complained about (回避)."""
    barred = set(excluded)
    eligible = [c for c in candidates if c.user_id not in barred]
    if not eligible:
        return None
    best = min(eligible, key=lambda c: (c.distance, c.open_cases, c.user_id))
    return best.user_id


def may_close(follow_up_outcomes: Sequence[str], max_unreachable: int) -> str | None:
    """How the case may close given this round's follow-up attempts: 'recovered', 'unreachable' or None."""
    if "recovered" in follow_up_outcomes:
        return "recovered"
    if sum(1 for o in follow_up_outcomes if o == "unreachable") >= max_unreachable:
        return "unreachable"
    return None
