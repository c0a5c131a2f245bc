"""What the dashboard draws: each card is a report section turned into a chart spec (x values and series) that
`static/insights/dashboard.js` hands to ECharts, beside the same rows as a table. Built from the `Result` the
API returns, so the chart, its table and the CSV/XLSX never disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.formats import number_format

from .reports import COUNT, MONEY, NUMBER, RATE, Column, Result, Section

# Codes the chart and the drill-down use, left out of the table beside it (its label says the same).
HIDDEN = frozenset({"code", "touchpoint", "cause", "dimension", "channel"})
NUMBERS = (COUNT, NUMBER, MONEY, RATE)


def figure(row: dict[str, Any], column: Column) -> str:
    """A report figure as the table shows it: rates as percentages, counts and money grouped, "—" for none."""
    value = row.get(column.key)
    if value is None or value == "":
        return "—"
    if column.kind == RATE:
        return f"{float(value) * 100:.1f}%"
    if column.kind in (COUNT, NUMBER, MONEY):
        return number_format(value, force_grouping=True)
    return str(value)


@dataclass(frozen=True)
class Cell:
    key: str
    text: str
    number: bool


@dataclass
class Card:
    report: str
    section: Section
    spec: dict[str, Any]
    drill: bool = False
    notes: list[str] = field(default_factory=list)

    @cached_property
    def shown(self) -> list[tuple[Column, bool]]:
        """The table's columns, each with whether it holds a number."""
        return [(c, c.kind in NUMBERS) for c in self.section.columns if c.key not in HIDDEN]

    @cached_property
    def table(self) -> list[tuple[dict[str, Any], list[Cell]]]:
        """Each row with its cells formatted: the template only places them (a panel's table is hundreds of
        cells, and deciding each in the template cost more than the report's own Python)."""
        return [(row, [Cell(c.key, figure(row, c), number) for c, number in self.shown]) for row in self.section.rows]

    @property
    def dom_id(self) -> str:
        return f"chart-{self.report}-{self.section.key}"

    @property
    def data_id(self) -> str:
        return f"{self.dom_id}-data"


def _label(section: Section, key: str) -> str:
    return str(next(c.label for c in section.columns if c.key == key))


def line(result: Result, key: str, series: list[str], *, rates: list[str] | None = None) -> Card:
    """A time series: counts on the left axis (bars or lines), rates on the right (as percentages)."""
    section = result.section(key)
    spec: dict[str, Any] = {"kind": "line", "x": [r["period"] for r in section.rows], "series": []}
    for name in series:
        spec["series"].append({"name": _label(section, name), "data": [r.get(name) for r in section.rows], "axis": 0})
    for name in rates or []:
        spec["series"].append(
            {"name": _label(section, name), "data": [r.get(name) for r in section.rows], "axis": 1, "rate": True}
        )
    return Card(result.report, section, spec, notes=[str(n) for n in result.notes])


def pareto(result: Result, key: str) -> Card:
    """Bars largest first, the cumulative share as a line on the right axis; a click opens the bar's cases."""
    section = result.section(key)
    rows = section.rows[:15]
    spec = {
        "kind": "pareto",
        "x": [r["label"] for r in rows],
        "series": [
            {"name": _label(section, "total"), "data": [r["total"] for r in rows], "axis": 0},
            {"name": _label(section, "cumulative"), "data": [r["cumulative"] for r in rows], "axis": 1, "rate": True},
        ],
        "drill": [r["drill"] for r in rows],
    }
    return Card(result.report, section, spec, drill=True)


def bars(result: Result, key: str, label: str, value: str, *, rate: bool = False) -> Card:
    """One value per row; a rate goes on the right axis, as a percentage."""
    section = result.section(key)
    series: dict[str, Any] = {"name": _label(section, value), "data": [r[value] for r in section.rows], "axis": 0}
    if rate:
        series.update(axis=1, rate=True)
    spec = {"kind": "bar", "x": [str(r[label]) for r in section.rows], "series": [series]}
    return Card(result.report, section, spec)
