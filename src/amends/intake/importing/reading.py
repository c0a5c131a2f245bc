"""Reading an export file: CSV, gzip-compressed CSV or XLSX, as numbered rows of cells under a header.

Real exports are untidy (see shared/data/real/*/SOURCE.md): some start with lines that are not the table
(an unzip log), some carry an unnamed leading index column that the header does not name. The header is the
first of the opening rows that names every column the mapping needs; a file whose rows are one field longer
than that header has its first field treated as an unnamed index, as pandas does. Rows are numbered as in a
spreadsheet: the file's first row is 1.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from amends.core.errors import InvalidInput

HEADER_SEARCH = 20  # opening rows looked at for the header
csv.field_size_limit(sys.maxsize)  # complaint narratives can be long


class FileError(InvalidInput):
    code = "bad_file"


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number, cells)
    estimated_rows: int | None  # for the progress bar


def kind_of(path: Path) -> str:
    name = path.name.lower()
    for suffix, kind in ((".csv.gz", "csv.gz"), (".csv", "csv"), (".xlsx", "xlsx")):
        if name.endswith(suffix):
            return kind
    raise FileError(_("%(name)s: import reads .csv, .csv.gz and .xlsx files.") % {"name": path.name})


@contextmanager
def open_table(
    path: Path, needed: list[str], *, encoding: str = "utf-8-sig", sheet: str | None = None
) -> Iterator[Table]:
    if not path.is_file():
        raise FileError(_("No file at %(path)s.") % {"path": path})
    kind = kind_of(path)
    if kind == "xlsx":
        with _xlsx_rows(path, sheet) as (rows, estimate):
            yield _table(path, rows, needed, estimate)
        return
    opener = gzip.open if kind == "csv.gz" else open
    try:
        estimate = _count_lines(path, kind)
        with opener(path, "rt", encoding=encoding, newline="") as stream:
            yield _table(path, _csv_rows(stream), needed, estimate)
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, csv.Error) as exc:
        raise FileError(_("%(name)s cannot be read: %(error)s") % {"name": path.name, "error": exc}) from exc


def _csv_rows(stream: IO[str]) -> Iterator[tuple[int, list[Any]]]:
    return enumerate(csv.reader(stream), start=1)


def _count_lines(path: Path, kind: str) -> int:
    """Lines, not records (a quoted narrative may span lines): an upper bound for the bar, costing one fast
    pass over the bytes."""
    opener = gzip.open if kind == "csv.gz" else open
    count = 0
    with opener(path, "rb") as raw:
        while chunk := raw.read(1 << 22):
            count += chunk.count(b"\n")
    return count


@contextmanager
def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[Iterator[tuple[int, list[Any]]], int | None]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileError(
            _("%(name)s is not a readable XLSX workbook: %(error)s") % {"name": path.name, "error": exc}
        ) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise FileError(_("%(name)s has no sheet “%(sheet)s”.") % {"name": path.name, "sheet": sheet})
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = ([_cell(v) for v in values] for values in ws.iter_rows(values_only=True))
        yield enumerate(rows, start=1), ws.max_row
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value  # dates stay dates; the transformer takes them as they are
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a reference typed as a number: 7005690.0 means "7005690"
    return str(value)


def _table(path: Path, rows: Iterator[tuple[int, list[Any]]], needed: list[str], estimate: int | None) -> Table:
    opening: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        opening.append((number, cells))
        names = [str(c).strip() for c in cells]
        if all(n in names for n in needed):
            return _with_header(names, number, rows, estimate)
        if len(opening) >= HEADER_SEARCH:
            break
    first = [str(c).strip() for c in opening[0][1]] if opening else []
    missing = [n for n in needed if n not in first]
    raise FileError(
        _("%(name)s has no column(s) %(missing)s that the mapping needs; its first row has: %(found)s.")
        % {
            "name": path.name,
            "missing": ", ".join(f"“{n}”" for n in missing),
            "found": ", ".join(f"“{n}”" for n in first[:30]) or _("nothing"),
        }
    )


def _with_header(
    header: list[str], header_row: int, rows: Iterator[tuple[int, list[Any]]], estimate: int | None
) -> Table:
    first = next(rows, None)
    if first is not None and len(first[1]) == len(header) + 1:
        header = ["", *header]  # an unnamed leading index column, as in pandas' to_csv output
    remaining = None if estimate is None else max(estimate - header_row, 0)

    def all_rows() -> Iterator[tuple[int, list[Any]]]:
        if first is not None:
            yield first
        yield from rows

    return Table(header=header, rows=all_rows(), estimated_rows=remaining)
