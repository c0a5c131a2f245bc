"""Turning one export row into the values of one imported complaint, or into the reasons it cannot be.

The mapping is compiled once against the file's header into one small function per field, so a row costs
a handful of list look-ups and dictionary hits (dates repeat across rows and are parsed once each). Nothing
here touches the database: the writer gets plain values. Every problem of a row is reported, one reject per
field, and a row with any problem is not imported at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _

from .mapping import BOOLEANS, CHOICES, DATES, PLACEHOLDER, FieldSpec, Mapping

# Longest text each field may carry (the columns' sizes).
MAX_LENGTH = {"external_ref": 40, "customer_key": 40, "customer_name": 100, "region": 50}
MAX_LENGTH |= {"policy_no": 40, "claim_no": 40}


@dataclass(slots=True)
class Record:
    row: int
    external_ref: str
    received_at: datetime
    closed_at: datetime
    values: dict[str, Any]  # every other mapped field, already an Amends value


@dataclass(frozen=True, slots=True)
class Reject:
    row: int
    field: str
    reason: str


Getter = Callable[[list[Any]], Any]
# Fields whose values differ on every row: remembering them would only fill memory.
UNIQUE_PER_ROW = {"external_ref", "customer_key", "customer_name", "description", "request", "decision"}
UNIQUE_PER_ROW |= {"policy_no", "claim_no", "loss_amount"}
REMEMBER_AT_MOST = 100_000


def _remembered(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    memo: dict[Any, Any] = {}
    refused: dict[Any, ValueError] = {}

    def remembered(raw: Any) -> Any:
        try:
            return memo[raw]  # the common case first: one look-up
        except KeyError:
            pass
        if raw in refused:
            raise refused[raw]
        try:
            value = convert(raw)
        except ValueError as exc:
            if len(refused) < REMEMBER_AT_MOST:
                refused[raw] = exc
            raise
        if len(memo) < REMEMBER_AT_MOST:
            memo[raw] = value
        return value

    return remembered


class Transformer:
    def __init__(
        self, mapping: Mapping, header: list[str], *, now: datetime, touchpoints: set[str], day_zone: Any = None
    ) -> None:
        """`day_zone`: where a date without a time is taken to start (Amends' own zone, so the day shows as the
        source's day); dates with a time are in the mapping's zone."""
        self.mapping = mapping
        self.day_zone = day_zone or mapping.timezone
        self.now = now.astimezone(UTC)
        self.width = len(header)
        self.touchpoints = touchpoints
        index = {name: i for i, name in enumerate(header) if name}
        self.open_when = index[mapping.open_column] if mapping.open_column else None
        # Constants are converted once; every other field gets its getter and converter, the converter
        # remembering its answers where values repeat (codes, dates), so most rows cost dictionary hits.
        self.constants: dict[str, Any] = {}
        self.fields: list[tuple[str, Getter, Callable[[Any], Any]]] = []
        for spec in mapping.fields.values():
            convert: Callable[[Any], Any] = partial(self._convert, spec)
            if spec.column is None and not spec.template:
                self.constants[spec.name] = convert(spec.value)
                continue
            if spec.column is not None and spec.name not in UNIQUE_PER_ROW:
                convert = _remembered(convert)
            self.fields.append((spec.name, _getter(spec, index), convert))

    def __call__(self, row: int, cells: list[Any]) -> Record | list[Reject]:
        if len(cells) != self.width:
            if not any(str(c).strip() for c in cells):
                return []  # a blank line: nothing to import, nothing to reject
            reason = _("The row has %(n)s fields; the header has %(m)s.") % {"n": len(cells), "m": self.width}
            return [Reject(row, "", reason)]
        if self.open_when is not None and str(cells[self.open_when]).strip() in self.mapping.open_values:
            state = str(cells[self.open_when]).strip()
            reason = _("Not closed in the source (“%(state)s”): only closed complaints are imported.") % {
                "state": state
            }
            return [Reject(row, self.mapping.open_column or "", reason)]
        values = dict(self.constants)
        try:
            for name, get, convert in self.fields:
                values[name] = convert(get(cells))
        except ValueError:
            return self._every_reject(row, cells)
        rejects = self._check_dates(row, values)
        if rejects:
            return rejects
        return Record(
            row=row,
            external_ref=values.pop("external_ref"),
            received_at=values.pop("received_at"),
            closed_at=values.pop("closed_at"),
            values=values,
        )

    def _every_reject(self, row: int, cells: list[Any]) -> list[Reject]:
        """The slow path for a bad row: one reject for each field that is wrong, not just the first."""
        rejects = []
        for name, get, convert in self.fields:
            try:
                convert(get(cells))
            except ValueError as exc:
                rejects.append(Reject(row, name, str(exc)))
        return rejects

    def _convert(self, spec: FieldSpec, raw: Any) -> Any:
        name = spec.name
        if name in DATES:
            return self._date(spec, raw)
        text = raw.strip() if isinstance(raw, str) else raw
        if name in CHOICES:
            return self._choice(spec, text)
        if name in BOOLEANS:
            # Unknown stays unknown: a value the map does not name (say "ambiguous") is neither yes nor no.
            return (spec.mapping or {}).get(text, spec.default) if text not in ("", None) else spec.default
        if name == "loss_amount":
            return _amount(_lookup(spec, text))
        # Text: a map rewrites the values it names and leaves the others as they are.
        value = spec.mapping.get(text, text) if spec.mapping and text else text
        value = str(value or spec.default or "")
        if spec.required and not value:
            raise ValueError(_("Empty, but this field is required."))
        limit = MAX_LENGTH.get(name)
        if limit and len(value) > limit:
            raise ValueError(_("Longer than %(n)s characters.") % {"n": limit})
        return value

    def _choice(self, spec: FieldSpec, text: Any) -> str:
        """A code: the first part (of a `split` multi-value cell) that the map knows, else the default."""
        parts = [p.strip() for p in str(text).split(spec.split)] if spec.split and text else [text]
        value = None
        for part in parts:
            if part in ("", None):
                continue
            value = spec.mapping.get(part) if spec.mapping is not None else part
            if value is not None:
                break
        if value is None:
            if spec.default is not None:
                value = spec.default  # "" leaves the field blank
            elif text:
                raise ValueError(_("“%(value)s” is not in the mapping and there is no default.") % {"value": text})
        if value in (None, ""):
            if spec.required:
                raise ValueError(_("Empty, but this field is required."))
            return ""
        allowed = self.touchpoints if spec.name == "touchpoint" else CHOICES[spec.name]
        if value not in allowed:
            raise ValueError(_("“%(value)s” is not a valid %(field)s.") % {"value": value, "field": spec.name})
        return str(value)

    def _date(self, spec: FieldSpec, raw: Any) -> datetime | None:
        parsed = _parse_date(raw, spec.date_formats, self.mapping.timezone, self.day_zone)
        if parsed is None:
            if raw in ("", None):
                raise ValueError(_("Empty, but this field is required."))
            formats = " | ".join(spec.date_formats)
            raise ValueError(
                _("“%(value)s” does not match the date format %(formats)s.") % {"value": raw, "formats": formats}
            )
        return parsed

    def _check_dates(self, row: int, values: dict[str, Any]) -> list[Reject]:
        received, closed = values["received_at"], values["closed_at"]
        if received > self.now:
            return [Reject(row, "received_at", _("The receipt date is in the future."))]
        if closed < received:
            return [Reject(row, "closed_at", _("Closed before it was received."))]
        if closed > self.now:
            return [Reject(row, "closed_at", _("The closing date is in the future."))]
        return []


def _getter(spec: FieldSpec, index: dict[str, int]) -> Getter:
    if spec.column is not None:
        i = index[spec.column]
        return lambda cells: cells[i]
    if spec.template:
        return _template(spec.template, index)
    constant = spec.value
    return lambda cells: constant


def _template(template: tuple[str, ...], index: dict[str, int]) -> Getter:
    """A line is left out when every column it names is blank. The cells a template names are picked and
    stripped once per row (`itemgetter`), then each line formats its own slice of them."""
    lines = [_line(line, index) for line in template]
    columns = sorted({i for _, positions in lines for i in positions})
    if not columns:
        text = "\n".join(fmt.format() for fmt, _ in lines)
        return lambda cells: text
    slot = {column: n for n, column in enumerate(columns)}
    pick = itemgetter(*columns) if len(columns) > 1 else lambda cells: (cells[columns[0]],)
    compiled = [(fmt.format, _picker([slot[i] for i in positions])) for fmt, positions in lines]

    def render(cells: list[Any]) -> str:
        picked = [c.strip() if type(c) is str else str(c).strip() for c in pick(cells)]
        out = []
        for fmt, parts_of in compiled:
            parts = parts_of(picked)
            if not parts or any(parts):
                out.append(fmt(*parts))
        return "\n".join(out)

    return render


def _picker(slots: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    if not slots:
        return lambda picked: ()
    if len(slots) == 1:
        only = slots[0]
        return lambda picked: (picked[only],)
    return itemgetter(*slots)


def _line(template: str, index: dict[str, int]) -> tuple[str, list[int]]:
    positions: list[int] = []

    def number(match: re.Match[str]) -> str:
        positions.append(index[match.group(1)])
        return f"{{{len(positions) - 1}}}"

    fmt = PLACEHOLDER.sub(number, template.replace("{{", "\2").replace("}}", "\3"))
    return fmt.replace("\2", "{{").replace("\3", "}}"), positions


def _lookup(spec: FieldSpec, text: Any) -> Any:
    if text in ("", None):
        return spec.default
    if spec.mapping is None:
        return text
    if text in spec.mapping:
        return spec.mapping[text]
    if spec.default is not None:
        return spec.default
    raise ValueError(_("“%(value)s” is not in the mapping and there is no default.") % {"value": text})


def _parse_date(raw: Any, formats: tuple[str, ...], tz: Any, day_zone: Any) -> datetime | None:
    """A time of the source's zone, or a day starting in `day_zone`, as UTC (cheap to compare and write)."""
    if isinstance(raw, datetime):
        parsed, has_time = raw, bool(raw.hour or raw.minute or raw.second or raw.tzinfo)
    elif isinstance(raw, date):
        parsed, has_time = datetime(raw.year, raw.month, raw.day), False
    else:
        text = str(raw or "").strip()
        for fmt in formats if text else ():
            try:
                parsed = datetime.strptime(text, fmt)
                has_time = any(code in fmt for code in ("%H", "%I", "%M", "%z"))
                break
            except ValueError:
                continue
        else:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz if has_time else day_zone)
    return parsed.astimezone(UTC)


def _amount(value: Any) -> Decimal | None:
    if value in ("", None):
        return None
    try:
        amount = Decimal(str(value).replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(_("“%(value)s” is not an amount.") % {"value": value}) from exc
    if amount < 0 or not amount.is_finite():
        raise ValueError(_("“%(value)s” is not an amount.") % {"value": value})
    return amount.quantize(Decimal("0.01"))
