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


def regulator_workbook(result: Result) -> Any:
    """One sheet, as a regulator's complaint return is filled in: the institution and period at the top, then
    a block per breakdown (category, line, channel, region) with its total row, then the complaint rates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    f = result.filters
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(_("Complaint statistics"), set()))
    ws.column_dimensions["A"].width = 28
    for letter in "BCDEFGHIJ":
        ws.column_dimensions[letter].width = 14
    title = _cell(ws, _("Consumer complaint statistics return"), bold=True)
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([_cell(ws, _("Reporting institution")), _cell(ws, f.unit.name if f.unit else _("Whole company"))])
    ws.append([_cell(ws, _("Period")), _cell(ws, f"{f.since:%Y-%m-%d} – {f.until:%Y-%m-%d}")])
    ws.append([_cell(ws, _("Prepared at")), _cell(ws, timezone.localtime().strftime("%Y-%m-%d %H:%M"))])
    for section in result.sections:
        ws.append([])
        ws.append([_cell(ws, str(section.title), bold=True)])
        columns = [c for c in section.columns if c.key != "code"]
        header = []
        for c in columns:
            cell = _cell(ws, str(c.label), bold=True)
            cell.alignment = Alignment(wrap_text=True)
            header.append(cell)
        ws.append(header)
        for row in section.rows:
            ws.append([_cell(ws, _num(row.get(c.key), c.kind), percent=c.kind == RATE) for c in columns])
        if section.totals is not None and columns and columns[0].kind == LABEL:
            total = [_cell(ws, _("Total"), bold=True)]
            total += [_cell(ws, section.totals.get(c.key), bold=True, percent=c.kind == RATE) for c in columns[1:]]
            ws.append(total)
    ws.append([])
    for note in result.notes:
        ws.append([_cell(ws, str(note))])
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
