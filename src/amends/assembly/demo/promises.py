"""Demo promises: two months of history for the kept-rate hint, and a few open promises for today.

Made and settled through `promises.services` with the clock frozen at each moment, like the cases. Its own
random stream (`SEED + 4`), so adding promises changes nothing in the cases. One promise made yesterday
for 17:00 is still open when the demo starts: the worker's first sweep breaks it into a case, as it would
in production.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from amends.accounts.access import scope_unit_ids
from amends.accounts.models import User
from amends.core import clock
from amends.customers.models import Customer
from amends.promises import services


@dataclass(frozen=True)
class Kind:
    touchpoint: str
    text: str  # {hour} is the promised hour
    made_hours: tuple[float, float]  # when in the day such promises are made
    lead_hours: tuple[float, float]  # how far ahead they are promised
    took_hours: tuple[float, float]  # how long they really take (uniform), before the odd slip
    never: float  # share never fulfilled at all


KINDS = (
    # Morning assessor visits are the seed's hard case: promised for the next hour or two, often late.
    Kind("auto_claim.assessment", "定损员{hour}点前到现场查勘", (8, 9.5), (1, 2.5), (0.5, 4.5), 0.03),
    Kind("auto_claim.payment", "赔款{hour}点前到账，届时短信通知您", (9, 16), (20, 30), (4, 30), 0.04),
    Kind("health_claim.review", "审核结果今天{hour}点前电话告知您", (9, 11), (3, 6), (1, 5.5), 0.03),
)
HISTORY_DAYS = 60
PER_KIND = 36


def seed_promises(
    *,
    seed: int,
    staff: dict[str, User],
    customers: list[Customer],
    today: datetime,
    report: Callable[[int], None] | None = None,
) -> int:
    rng = random.Random(seed)
    handler = staff["handler"]
    scope = set(scope_unit_ids(handler) or [])
    mine = [c for c in customers if c.org_unit_id in scope] or customers
    made = 0
    for kind in KINDS:
        for _ in range(PER_KIND):
            day = today - timedelta(days=rng.randint(2, HISTORY_DAYS))
            at = day + timedelta(hours=rng.uniform(*kind.made_hours))
            due = (at + timedelta(hours=rng.uniform(*kind.lead_hours))).replace(minute=0, second=0, microsecond=0)
            if due <= at:
                due += timedelta(hours=1)
            took = None if rng.random() < kind.never else timedelta(hours=rng.uniform(*kind.took_hours))
            _history(handler, rng.choice(mine), kind, at, due, took)
            made += 1
            if report:
                report(1)
    made += _open_today(handler, mine, today, rng)
    return made


def _history(actor: User, customer: Customer, kind: Kind, at: datetime, due: datetime, took: timedelta | None) -> None:
    with clock.frozen(at):
        promise = services.promise_make(
            actor=actor,
            customer_id=customer.pk,
            text=kind.text.format(hour=due.hour),
            due_at=due,
            channel="hotline",
            touchpoint=kind.touchpoint,
        )
    done = at + took if took is not None else None
    if done is not None and done <= due:
        with clock.frozen(done):
            services.promise_settle(actor=actor, promise_id=promise.pk, outcome="kept")
        return
    # Late or never: staff record it broken the day after the due time, with when it was done after all.
    settled = due + timedelta(days=1)
    with clock.frozen(settled):
        services.promise_settle(
            actor=actor,
            promise_id=promise.pk,
            outcome="broken",
            fulfilled_at=done if done is not None and done <= settled else None,
        )


def _open_today(actor: User, customers: list[Customer], today: datetime, rng: random.Random) -> int:
    """Open promises for the handler's list today, and one from yesterday that nobody kept."""
    plans = [
        (today - timedelta(hours=7), today + timedelta(hours=15), "auto_claim.assessment", "定损员今天下午3点前到现场"),
        (today - timedelta(hours=6), today + timedelta(hours=17), "health_claim.review", "审核结果今天5点前电话告知您"),
        (today - timedelta(hours=5), today + timedelta(days=1, hours=11), "auto_claim.payment", "赔款明天11点前到账"),
        (
            today - timedelta(hours=9),
            today - timedelta(hours=7),
            "auto_claim.assessment",
            "定损员昨天下午5点前回电确认",
        ),
    ]
    for made_at, due, touchpoint, text in plans:
        with clock.frozen(made_at):
            services.promise_make(
                actor=actor,
                customer_id=rng.choice(customers).pk,
                text=text,
                due_at=due,
                channel="hotline",
                touchpoint=touchpoint,
            )
    return len(plans)
