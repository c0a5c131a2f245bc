"""Stand-in values a queryset is built with once, so that its compiled SQL can be kept and each real value put
where its stand-in landed among the parameters (`core.prepared.Prepared`, `core.batch.KeptWith`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


class Markers:
    def __init__(self, prefix: str, kinds: dict[str, type]) -> None:
        """One stand-in per name: a string no one types; an integer no row has, inside a 32-bit range (Django
        answers a value beyond a column's range without SQL); an aware datetime long before any data."""
        self.values: dict[str, Any] = {}
        for i, (name, kind) in enumerate(kinds.items()):
            if kind is str:
                self.values[name] = f"@{prefix}:{name}@"
            elif kind is int:
                self.values[name] = -2_147_000_000 - i
            elif kind is datetime:
                self.values[name] = datetime(1901, 1, 1, tzinfo=UTC) + timedelta(seconds=i + 1)
            else:
                raise TypeError(f"{name}: a marker is a str, an int or a datetime, not {kind}")

    def slots(self, params: Any) -> list[tuple[int, str]]:
        """Where each stand-in landed in the compiled parameters (a name may land more than once); every name
        must land somewhere, or the kept SQL would ignore its value."""
        by_marker = {(type(m), m): name for name, m in self.values.items()}
        found = [
            (i, by_marker[(type(p), p)])
            for i, p in enumerate(params)
            if isinstance(p, str | int | datetime) and (type(p), p) in by_marker
        ]
        if {name for _, name in found} != set(self.values):
            raise ValueError(f"each of {list(self.values)} must appear as a parameter of the query")
        return found
