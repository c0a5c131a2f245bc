"""Reads of the journey catalogue. Touchpoints are reference data read on every intake, so they are kept in
process for a minute; an edit in this process clears the copy at once, other processes see it within
`TTL` seconds."""

from __future__ import annotations

import time

from .models import Touchpoint

TTL = 60.0
_cache: dict[str, tuple[float, Touchpoint | None]] = {}


def touchpoint_by_code(code: str) -> Touchpoint | None:
    hit = _cache.get(code)
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL:
        return hit[1]
    touchpoint = Touchpoint.objects.select_related("journey").filter(code=code, active=True).first()
    _cache[code] = (now, touchpoint)
    return touchpoint


def forget() -> None:
    _cache.clear()
