"""`amends simulate`: an insurer's year from stated parameters, written in bulk (see `generate` and `write`).

Uses the organisation and journey catalogue already in the database (a demo, a bench database); on an empty
one it first creates a small organisation (head office, four provinces, two cities each, two outlets each).
The rows are recorded as done by a `simulator` staff member, so they are never mistaken for real work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from amends.accounts.models import OrgKind, OrgUnit, Role, User
from amends.assembly import world
from amends.insights import facts
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint

from . import generate, write
from .params import Params, expected_rates

__all__ = ["Params", "expected_rates", "simulate"]

PROVINCES = ["广东", "北京", "上海", "浙江"]


@transaction.atomic
def _organisation() -> tuple[list[int], int]:
    head = OrgUnit.objects.filter(parent__isnull=True).order_by("id").first()
    if head is None:
        head = world.units([world.UnitSpec("SIM-HO", "总公司", OrgKind.HEAD_OFFICE, None, "总公司")])["SIM-HO"]
    if not OrgUnit.objects.filter(kind=OrgKind.OUTLET).exists():
        world.units(world.tree(head.code, PROVINCES, cities=2, outlets=2, prefix="SIM-"))
    outlets = list(OrgUnit.objects.filter(kind=OrgKind.OUTLET).order_by("id").values_list("id", flat=True))
    actor = User.objects.filter(username="simulator").first()
    if actor is None:
        simulator = world.StaffSpec("simulator", "模拟数据", Role.HANDLER, head.code, active=False)
        actor = world.staff([simulator], password=None, units={head.code: head})["simulator"]
    return outlets, actor.pk


def simulate(
    params: Params,
    *,
    customers: int,
    seed: int,
    until: date,
    progress: Callable[[str, int], None] = lambda label, n: None,
) -> dict[str, Any]:
    started = time.perf_counter()
    if not Touchpoint.objects.exists():
        catalogue.load(Journey, Touchpoint)
    outlets, actor_id = _organisation()
    touchpoints = list(Touchpoint.objects.filter(active=True).order_by("id").values_list("id", "code"))
    year = generate.draw(
        params, customers=customers, seed=seed, until=until, outlets=len(outlets), touchpoints=len(touchpoints)
    )
    drawn = time.perf_counter()
    counts = write.load(year, outlets=outlets, touchpoints=touchpoints, actor_id=actor_id, progress=progress)
    written = time.perf_counter()
    # The bulk write skips the row triggers that note changes for the report facts: write them all instead.
    progress("facts", 0)
    facts.rebuild()
    return {
        "drawn": generate.summary(year),
        "rows": counts,
        "seconds": {
            "draw": round(drawn - started, 2),
            "write": round(written - drawn, 2),
            "facts": round(time.perf_counter() - written, 2),
        },
        "params": params.as_dict(),
        "seed": seed,
        "until": until.isoformat(),
    }
