"""Pure decisions of recovery: which episode a complaint belongs to, step order, priority from severity, owner
choice with 回避.

No ORM, no settings, no clock: callers pass plain values and get plain answers, so every branch is
tested in a table. The services in `recovery.services` apply these answers to rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

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


# Why a complaint joined the customer's open case, by the kind of episode they share.
JOIN_REASONS = {"claim": "same_claim", "policy": "same_policy", "journey": "same_journey"}


@dataclass(frozen=True)
class Episode:
    """One customer's matter (事件): complaints and failures about the same claim, else the same policy, else the
    same journey, are one episode and join one open case. A complaint split out of its case is an episode of its
    own, so later complaints of the matter still join the original case. Stored on the case as `key`."""

    kind: str  # claim | policy | journey | general | split
    ref: str = ""

    @classmethod
    def of(cls, *, claim_no: str = "", policy_no: str = "", journey: str | None = None) -> Episode:
        if claim_no.strip():
            return cls("claim", claim_no.strip().upper())
        if policy_no.strip():
            return cls("policy", policy_no.strip().upper())
        if journey:
            return cls("journey", journey)
        return cls("general")

    @classmethod
    def split_out(cls, complaint_id: int) -> Episode:
        return cls("split", str(complaint_id))

    @classmethod
    def from_key(cls, key: str) -> Episode:
        kind, _sep, ref = key.partition(":")
        return cls(kind, ref)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref}" if self.ref else self.kind

    @property
    def join_reason(self) -> str:
        return JOIN_REASONS.get(self.kind, "same_episode")

    @property
    def names_a_claim_or_policy(self) -> bool:
        return self.kind in ("claim", "policy")

    @property
    def own_case(self) -> bool:
        """A split-out complaint always opens a case of its own."""
        return self.kind == "split"


@dataclass(frozen=True)
class Severity:
    """What a case's priority is computed from, stored on the case as data (`as_data`); the explanation the case
    page shows is derived from it by `priority`. `raised_to` is a level an early warning set (P1 is the most
    urgent), kept until the case closes."""

    segment: str
    customer_value: Decimal
    loss_amount: Decimal | None
    repeat_failures_90d: int
    touchpoint_criticality: int | None
    escalation_flags: Sequence[str] = ()
    raised_to: int | None = None
    raised_reason: str = ""

    def as_data(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "customer_value": str(self.customer_value),
            "loss_amount": None if self.loss_amount is None else str(self.loss_amount),
            "repeat_failures_90d": self.repeat_failures_90d,
            "touchpoint_criticality": self.touchpoint_criticality,
            "escalation_flags": sorted(self.escalation_flags),
            "raised_to": self.raised_to,
            "raised_reason": self.raised_reason,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Severity:
        loss = data.get("loss_amount")
        return cls(
            segment=str(data.get("segment", "")),
            customer_value=Decimal(str(data.get("customer_value", "0"))),
            loss_amount=None if loss is None else Decimal(str(loss)),
            repeat_failures_90d=int(data.get("repeat_failures_90d", 0)),
            touchpoint_criticality=data.get("touchpoint_criticality"),
            escalation_flags=tuple(data.get("escalation_flags", ())),
            raised_to=data.get("raised_to"),
            raised_reason=str(data.get("raised_reason", "")),
        )

    def worse(self, other: Severity) -> Severity:
        """This severity with what can only grow taken from `other` too: the largest loss, every escalation flag,
        the most repeats, the most urgent early-warning level (a case that joins another, or is joined again)."""
        losses = [x for x in (self.loss_amount, other.loss_amount) if x is not None]
        raised = [x for x in (self.raised_to, other.raised_to) if x is not None]
        return replace(
            self,
            loss_amount=max(losses, default=None),
            escalation_flags=tuple(sorted(set(self.escalation_flags) | set(other.escalation_flags))),
            repeat_failures_90d=max(self.repeat_failures_90d, other.repeat_failures_90d),
            raised_to=min(raised, default=None),
            raised_reason=self.raised_reason if self.raised_to is not None else other.raised_reason,
        )


@dataclass(frozen=True)
class PriorityAnswer:
    score: int
    level: int
    factors: list[dict] = field(default_factory=list)


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
    seeds warn that repeated failures turn a forgiving customer away for good. An early warning may raise the
    level above what the score gives, never lower it.
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
    if sev.raised_to is not None and sev.raised_to < level:
        level = sev.raised_to
        factors.append({"code": "early_warning", "points": 0, "value": sev.raised_reason})
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
