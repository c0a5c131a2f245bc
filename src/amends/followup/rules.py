"""Pure decisions of follow-up: is an answer valid, did the recovery work, what the sweep does with a
survey nobody answers, which passages the daily callback sample picks. No ORM, no settings, no clock."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DIMENSIONS = ("reliability", "responsiveness", "competence", "attitude", "standards")
SCALES: dict[str, tuple[int, int]] = {
    "satisfaction": (1, 5),
    **{d: (1, 5) for d in DIMENSIONS},
    "renew": (0, 10),
    "recommend": (0, 10),
}
COMMENT_MAX = 5000


def answer_errors(answer: Mapping[str, Any]) -> dict[str, str]:
    """Field → problem code: `required`, `not_a_choice`, `out_of_range`, `too_long`. Solved and the overall
    satisfaction are required; the rest may be left blank (a short survey is answered, a long one is not)."""
    errors: dict[str, str] = {}
    if answer.get("solved") not in (True, False):
        errors["solved"] = "required" if answer.get("solved") is None else "not_a_choice"
    for name, (low, high) in SCALES.items():
        value = answer.get(name)
        if value is None:
            if name == "satisfaction":
                errors[name] = "required"
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = "out_of_range"
    if len(answer.get("comment") or "") > COMMENT_MAX:
        errors["comment"] = "too_long"
    return errors


def recovered(answer: Mapping[str, Any]) -> bool:
    """Recovered only when the customer says it is solved and is not dissatisfied (satisfaction 3 or more)."""
    return answer.get("solved") is True and (answer.get("satisfaction") or 0) > 2


def weakest_dimension(answer: Mapping[str, Any]) -> str:
    """The dimension the customer rated lowest at 2 or below (the first in the 五度 order on a tie), else ''."""
    scored = [(answer[d], i, d) for i, d in enumerate(DIMENSIONS) if answer.get(d) is not None and answer[d] <= 2]
    return min(scored)[2] if scored else ""


def survey_next(
    *, last_sent_at: datetime, reminders: int, now: datetime, max_reminders: int, interval: timedelta
) -> str | None:
    """For an unanswered survey: 'remind', 'callback' (reminders spent and the last one unanswered too), or None."""
    if now - last_sent_at < interval:
        return None
    return "remind" if reminders < max_reminders else "callback"


@dataclass(frozen=True)
class Passage:
    """A customer passing a touchpoint (a policy sold or renewed, a claim settled…) without complaining."""

    ref: str
    customer_id: int
    touchpoint: str
    criticality: int
    at: datetime


def rate_for(touchpoint: str, rates: Mapping[str, float]) -> float:
    """The configured rate for the touchpoint, else its journey, else 'default'."""
    journey = touchpoint.split(".", 1)[0]
    return rates.get(touchpoint, rates.get(journey, rates.get("default", 0.0)))


def draw(seed: str, day: str, ref: str) -> float:
    """A uniform number in [0, 1) fixed by seed, day and passage: the same sample on every run."""
    h = hashlib.sha256(f"{seed}|{day}|{ref}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def sample(passages: Iterable[Passage], *, rates: Mapping[str, float], seed: str, day: str, cap: int) -> list[Passage]:
    """The day's callbacks: each passage is picked with probability rate × criticality / 3 (capped at 1),
    one customer at most once, at most `cap` in all, the lowest draws first. Deterministic for a seed."""
    picked: dict[int, tuple[float, Passage]] = {}
    for p in passages:
        chance = min(1.0, rate_for(p.touchpoint, rates) * p.criticality / 3)
        u = draw(seed, day, p.ref)
        if u < chance and (p.customer_id not in picked or u < picked[p.customer_id][0]):
            picked[p.customer_id] = (u, p)
    return [p for _, p in sorted(picked.values(), key=lambda x: (x[0], x[1].ref))[:cap]]
