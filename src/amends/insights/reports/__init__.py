"""The report registry: each report is a function of (actor, filters) that runs SQL aggregates and returns a
`Result` of titled sections (columns + rows of already-counted figures). The API, the CSV/XLSX exports and
the dashboard all render the same `Result`, so a chart's numbers are exactly the table's and the file's.

A report module registers itself with `@report(...)`; importing this package imports them all. Reports never
count in Python over rows: every figure comes from one GROUP BY in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise

from amends.accounts.models import User
from amends.core.errors import NotFound

from ..filters import Filters

# Column kinds tell the renderers how to show a figure: counts as integers, rates as percentages.
LABEL, COUNT, RATE, NUMBER, MONEY = "label", "count", "rate", "number", "money"


@dataclass
class Column:
    key: str
    label: str | Promise
    kind: str = COUNT


@dataclass
class Section:
    key: str
    title: str | Promise
    columns: list[Column]
    rows: list[dict[str, Any]]
    chart: str = ""  # a hint for the dashboard: line, bar, pareto, pie or "" (table only)
    totals: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in self.columns],
            "rows": self.rows,
            "totals": self.totals,
        }


@dataclass
class Result:
    report: str
    title: str | Promise
    filters: Filters
    sections: list[Section]
    notes: list[str | Promise] = field(default_factory=list)
    # As of when the facts it was computed from are current (a replica's copy may be a little behind).
    as_of: datetime | None = None

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def as_json(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "title": str(self.title),
            "filters": self.filters.as_dict() | self.filters.extra,
            "sections": [s.as_json() for s in self.sections],
            "notes": [str(n) for n in self.notes],
            "as_of": self.as_of,
        }


@dataclass(frozen=True)
class Report:
    name: str
    title: str | Promise
    run: Callable[[User, Filters], Result]
    # Report-specific parameters and their allowed values, the first being the default.
    params: dict[str, list[str]] = field(default_factory=dict)


REGISTRY: dict[str, Report] = {}


def report(
    name: str, title: str | Promise, params: dict[str, list[str]] | None = None
) -> Callable[[Callable[[User, Filters], Result]], Callable[[User, Filters], Result]]:
    def register(run: Callable[[User, Filters], Result]) -> Callable[[User, Filters], Result]:
        REGISTRY[name] = Report(name, title, run, params or {})
        return run

    return register


def get(name: str) -> Report:
    from django.utils.translation import gettext as _

    found = REGISTRY.get(name)
    if found is None:
        raise NotFound(
            _("There is no report “%(name)s”. Reports: %(names)s.") % {"name": name, "names": ", ".join(REGISTRY)}
        )
    return found


from . import (  # noqa: E402, F401  (they register)
    alerts,
    dimensions,
    discretion,
    pareto,
    promises,
    recovery,
    regulator,
    repeat,
    retention,
    timeliness,
    volume,
)
