"""A report's `Result` as CSV or XLSX: the same sections, columns and figures as the JSON. CSV has one block per
section (its title, the header, the rows, a blank line); XLSX one sheet per section, written in openpyxl's
write-only mode so memory stays flat. The regulator report has its own workbook laid out like the
regulator's return (`regulator_workbook`)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.core.inputs import spreadsheet_safe

from .reports import LABEL, RATE, Result, Section

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("json", "csv", "xlsx")


def filename(result: Result, ext: str) -> str:
    f = result.filters
    return f"amends-{result.report}-{f.since:%Y%m%d}-{f.until:%Y%m%d}.{ext}"


def _value(section: Section, key: str, row: dict[str, Any]) -> Any:
    value = row.get(key)
    return "" if value is None else spreadsheet_safe(value)


def as_csv(result: Result) -> HttpResponse:
    buffer = io.StringIO()
    # A byte-order mark so Excel on a Chinese Windows opens the UTF-8 file with the right characters.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(result.title), f"{result.filters.since} – {result.filters.until}"])
    for section in result.sections:
        writer.writerow([])
        writer.writerow([spreadsheet_safe(str(section.title))])
        writer.writerow([c.key for c in section.columns])
        writer.writerow([spreadsheet_safe(str(c.label)) for c in section.columns])
        for row in section.rows:
            writer.writerow([_value(section, c.key, row) for c in section.columns])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(result, "csv")}"'
    return response


def _cell(ws: Any, value: Any, *, bold: bool = False, percent: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        # openpyxl stores text starting with "=" as a formula; names typed in the admin are never one.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if percent and isinstance(value, int | float):
        cell.number_format = "0.0%"
    return cell


def _sheet_title(text: str, used: set[str]) -> str:
    bad = "[]:*?/\\"
    title = "".join("_" if ch in bad else ch for ch in text)[:28] or "sheet"
    candidate, n = title, 2
    while candidate in used:
        candidate, n = f"{title[:25]} {n}", n + 1
    used.add(candidate)
    return candidate


def _respond(wb: Any, result: Result) -> HttpResponse:
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename(result, "xlsx")}"'
    return response


def as_xlsx(result: Result) -> HttpResponse:
    from openpyxl import Workbook

    if result.report == "regulator":
        return _respond(regulator_workbook(result), result)
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for section in result.sections:
        ws = wb.create_sheet(_sheet_title(str(section.title), used))
        ws.append([_cell(ws, str(section.title), bold=True)])
        ws.append([_cell(ws, f"{result.filters.since} – {result.filters.until}")])
        ws.append([_cell(ws, str(c.label), bold=True) for c in section.columns])
        for row in section.rows:
            ws.append([_cell(ws, _num(row.get(c.key), c.kind), percent=c.kind == RATE) for c in section.columns])
    return _respond(wb, result)


def _share_of(key: str) -> tuple[str, str] | None:
    """The numerator and denominator a share column of the regulator report divides."""
    if key.startswith("due_share_"):
        return f"due_within_{key.removeprefix('due_share_')}", "due"
    if key.startswith("share_"):
        return f"within_{key.removeprefix('share_')}", "decided"
    if key == "upheld_share":
        return "upheld", "decided"
    return None


def _subtotal(rows: list[dict[str, Any]], columns: list[Any]) -> dict[str, Any]:
    """Rows added up: counts summed, shares divided again from the sums (never averaged)."""
    out: dict[str, Any] = {}
    for c in columns:
        if c.kind != RATE and c.kind != LABEL:
            out[c.key] = sum(r.get(c.key) or 0 for r in rows)
    for c in columns:
        parts = _share_of(c.key) if c.kind == RATE else None
        if parts:
            part, whole = out.get(parts[0], 0), out.get(parts[1], 0)
            out[c.key] = round(part / whole, 4) if whole else None
    return out


class _Sheet:
    """One sheet of the return, written row by row (openpyxl's write-only mode)."""

    def __init__(self, wb: Any, title: str, used: set[str], widths: list[int]):
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(_sheet_title(title, used))
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width

    def row(self, *values: Any, bold: bool = False, kinds: list[str] | None = None) -> None:
        kinds = kinds or [""] * len(values)
        self.ws.append(
            [_cell(self.ws, _num(v, k), bold=bold, percent=k == RATE) for v, k in zip(values, kinds, strict=True)]
        )

    def title(self, text: str) -> None:
        from openpyxl.styles import Font

        cell = _cell(self.ws, text, bold=True)
        cell.font = Font(bold=True, size=14)
        self.ws.append([cell])

    def header(self, labels: list[str]) -> None:
        from openpyxl.styles import Alignment

        cells = []
        for label in labels:
            cell = _cell(self.ws, label, bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cells.append(cell)
        self.ws.append(cells)

    def blank(self) -> None:
        self.ws.append([])


def _figures(section: Section) -> list[Any]:
    """The figure columns of a breakdown (what follows its code and labels)."""
    return [c for c in section.columns if c.kind != LABEL]


def _block(sheet: _Sheet, section: Section, labels: list[Any], *, subtotal_by: str = "") -> None:
    """A breakdown as the return lists it: the label columns, its figures, a subtotal after each group of
    `subtotal_by` (the business category above its reasons) and the total."""
    figures = _figures(section)
    sheet.header([str(c.label) for c in [*labels, *figures]])
    kinds = [LABEL] * len(labels) + [c.kind for c in figures]
    rows = section.rows
    for i, row in enumerate(rows):
        sheet.row(*[row.get(c.key) for c in labels], *[row.get(c.key) for c in figures], kinds=kinds)
        last_of_group = i + 1 == len(rows) or rows[i + 1].get(subtotal_by) != row.get(subtotal_by)
        if subtotal_by and last_of_group:
            group = [r for r in rows if r.get(subtotal_by) == row.get(subtotal_by)]
            sums = _subtotal(group, figures)
            first = [row.get(labels[0].key), _("Subtotal")] + [""] * (len(labels) - 2)
            sheet.row(*first, *[sums.get(c.key) for c in figures], bold=True, kinds=kinds)
    totals = section.totals or {}
    sheet.row(_("Total"), *[""] * (len(labels) - 1), *[totals.get(c.key) for c in figures], bold=True, kinds=kinds)


def regulator_workbook(result: Result) -> Any:
    """The regulator report laid out as the return an officer files (消费投诉情况统计表):

    1. 总体情况 — who reports, the period and the basis; the totals of all complaints beside those the regulator
       transferred (received, decided, within 15/30/60 days, upheld, the due basis); the complaint rates.
    2. 业务类别和原因 — business category → reason, a subtotal per category, the total.
    3. 险种 — per product line, the total.
    4. 监管转送 — the regulator's transfers per business category.
    5. 渠道和地区 — by channel, region, our coarse line and category, each with its total.
    """
    from openpyxl import Workbook

    f = result.filters
    wb = Workbook(write_only=True)
    used: set[str] = set()
    by_category, transfers = result.section("by_reason"), result.section("regulator_transfers")

    summary = _Sheet(wb, _("1 Summary"), used, [34, 18, 18, 14, 14, 14, 14, 14, 14, 14, 14, 14])
    summary.title(_("Consumer complaint statistics return"))
    summary.row(_("Reporting institution"), f.unit.name if f.unit else _("Whole company"))
    summary.row(_("Period"), f"{f.since:%Y-%m-%d} – {f.until:%Y-%m-%d}")
    summary.row(
        _("Basis"),
        _(
            "Complaints received in the period (by date of receipt); shares within the time limits over the "
            "complaints decided; the due basis over the complaints due in the period."
        ),
    )
    narrowed = [str(v) for v in (f.line, f.segment, f.channel) if v]
    summary.row(_("Filters"), " · ".join(narrowed) if narrowed else _("None"))
    summary.row(_("Prepared at"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    summary.blank()
    summary.row(_("Totals"), bold=True)
    summary.header([_("Item"), _("All channels"), _("Transferred by the regulator")])
    all_totals, sent_totals = by_category.totals or {}, transfers.totals or {}
    for c in _figures(by_category):
        summary.row(str(c.label), all_totals.get(c.key), sent_totals.get(c.key), kinds=[LABEL, c.kind, c.kind])
    rates = result.section("rates")
    summary.blank()
    summary.row(str(rates.title), bold=True)
    columns = [c for c in rates.columns if c.key == "basis_label"] + [
        c for c in rates.columns if c.key != "basis_label"
    ]
    summary.header([str(c.label) for c in columns])
    for row in rates.rows:
        summary.row(*[row.get(c.key) for c in columns], kinds=[c.kind for c in columns])
    summary.blank()
    for note in result.notes:
        summary.row(str(note))

    reasons = _Sheet(wb, _("2 Category and reason"), used, [18, 26, *[12] * 14])
    reasons.title(str(by_category.title))
    labels = [c for c in by_category.columns if c.key in ("category_label", "label")]
    _block(reasons, by_category, labels, subtotal_by="category")

    lines = _Sheet(wb, _("3 Product line"), used, [22, *[12] * 14])
    products = result.section("by_product_line")
    lines.title(str(products.title))
    _block(lines, products, [c for c in products.columns if c.key == "label"])

    sent = _Sheet(wb, _("4 Regulator transfers"), used, [22, *[12] * 14])
    sent.title(str(transfers.title))
    _block(sent, transfers, [c for c in transfers.columns if c.key == "label"])

    others = _Sheet(wb, _("5 Channel and region"), used, [28, *[12] * 14])
    for key in ("by_channel", "by_region", "by_line", "by_category"):
        section = result.section(key)
        others.row(str(section.title), bold=True)
        _block(others, section, [c for c in section.columns if c.key == "label"])
        others.blank()
    return wb


def _num(value: Any, kind: str) -> Any:
    if kind == "money" and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def render(result: Result, fmt: str) -> HttpResponse:
    return as_csv(result) if fmt == "csv" else as_xlsx(result)
