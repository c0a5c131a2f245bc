"""Reads of the journey catalogue. Touchpoints are reference data read on every intake, so they are kept in
process for a minute; an edit in this process clears the copy at once, other processes see it within
`TTL` seconds."""

from __future__ import annotations

import time
from collections.abc import Iterable

from .models import Touchpoint

TTL = 60.0
_cache: dict[str, tuple[float, Touchpoint | None]] = {}
_by_id: dict[str, tuple[float, dict[int, Touchpoint]]] = {}


def touchpoint_by_code(code: str) -> Touchpoint | None:
    hit = _cache.get(code)
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL:
        return hit[1]
    touchpoint = Touchpoint.objects.select_related("journey").filter(code=code, active=True).first()
    _cache[code] = (now, touchpoint)
    return touchpoint


def touchpoints_by_id() -> dict[int, Touchpoint]:
    """Every touchpoint with its journey, for lists that show a touchpoint on each row without a join."""
    hit = _by_id.get("all")
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL:
        return hit[1]
    table = {t.pk: t for t in Touchpoint.objects.select_related("journey")}
    _by_id["all"] = (now, table)
    return table


def touchpoint_codes() -> dict[int, str]:
    """Each touchpoint's code by its id, from the in-process catalogue (rows that hold only the id)."""
    return {pk: t.code for pk, t in touchpoints_by_id().items()}


def touchpoint_names(codes: Iterable[str | None]) -> dict[str, str]:
    """Names in the current language for the given touchpoint codes, from the in-process catalogue."""
    wanted = set(codes) - {None, ""}
    return {t.code: t.name for t in touchpoints_by_id().values() if t.code in wanted}


def forget() -> None:
    _cache.clear()
    _by_id.clear()
