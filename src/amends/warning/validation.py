"""Checking events from other systems, one by one, cheaply: plain dicts in, database-ready tuples out.

Pure (no ORM, no clock): the caller gives the known touchpoint codes and the latest acceptable time. Built for
10,000 events per request: a handful of dict lookups and one `fromisoformat` per event, no model instances
and no pydantic (measured ~40× slower per event here; see docs/decisions). Errors are collected per event, so
a batch keeps its valid events and reports the others by index.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

MAX_BATCH = 10_000
TYPE_PATTERN = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\Z")
# ISO 8601 as both Python and PostgreSQL read it (Python alone also takes week dates and basic forms).
TIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?\Z")
TEXT_LIMITS = {"event_id": 64, "type": 64, "customer_ref": 32, "policy_no": 40, "claim_no": 40, "touchpoint": 64}
FIELDS = frozenset({*TEXT_LIMITS, "occurred_at", "attributes"})
OPTIONAL_TEXT = ("customer_ref", "policy_no", "claim_no")


def needs_text_check(text: str) -> bool:
    """Whether a batch's JSON text could hold what PostgreSQL refuses: a NUL escape, or a surrogate escape that
    may be unpaired. Only then is each event serialised to find which (`check_events(..., strict=True)`)."""
    return "\\u0000" in text or "\\ud" in text or "\\uD" in text


# The columns of warning_event in the order `Row` holds them (COPY and INSERT use this order).
COLUMNS = (
    "event_id",
    "type",
    "occurred_at",
    "received_at",
    "customer_ref",
    "policy_no",
    "claim_no",
    "touchpoint",
    "attributes",
)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def nul_message() -> str:
    return _("Text may not contain the NUL character.")


class Row(NamedTuple):
    """A valid event: its place in the batch and the values the database and the on-ingest rules need."""

    position: int  # in the batch
    event_id: str
    type: str
    occurred_at: datetime
    customer_ref: str
    policy_no: str
    claim_no: str
    touchpoint: str
    attributes: dict


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    duplicates: int = 0  # the same event_id twice in one batch: the first one counts


def check_events(
    items: Iterable[Any],
    *,
    touchpoints: frozenset[str] | set[str],
    latest: datetime,
    strict: bool = True,
) -> Checked:
    """Split a batch into valid rows and rejects `{"index", "event_id", "fields"}`; `latest` is the newest
    acceptable occurrence time (now plus a little clock skew). `strict` serialises each event to refuse text
    PostgreSQL cannot store (NUL, unpaired surrogates); a caller that checked the batch's text as a whole
    (`needs_text_check`) may skip it."""
    out = Checked()
    seen: set[str] = set()
    dumps = json.dumps
    for index, item in enumerate(items):
        if type(item) is not dict:
            out.rejected.append({"index": index, "event_id": None, "fields": {"": [_("An event is an object.")]}})
            continue
        fields: dict[str, list[str]] = {}
        if not FIELDS.issuperset(item):  # cheaper than the set difference when, as almost always, all are known
            for name in sorted(item.keys() - FIELDS):
                fields[name] = [_("Unknown field.")]
        event_id = item.get("event_id")
        type_ = item.get("type")
        when_text = item.get("occurred_at")
        when: datetime | None = None
        for name in ("event_id", "type", "occurred_at"):
            value = item.get(name)
            if value is None or value == "":
                fields[name] = [_("This field is required.")]
            elif type(value) is not str:
                fields[name] = [_("Enter text.")]
        if "event_id" not in fields:
            if len(event_id) > 64:  # type: ignore[arg-type]
                fields["event_id"] = [_("At most %(max)s characters.") % {"max": 64}]
            elif "\x00" in event_id:  # type: ignore[operator]
                fields["event_id"] = [nul_message()]
        if "type" not in fields and not TYPE_PATTERN.match(type_):  # type: ignore[arg-type]
            fields["type"] = [_("A type looks like claim.reported: lower case words joined by dots.")]
        if "occurred_at" not in fields:
            try:
                if not TIME_PATTERN.match(when_text):  # type: ignore[arg-type]
                    raise ValueError(when_text)
                when = datetime.fromisoformat(when_text)  # type: ignore[arg-type]
            except ValueError:
                fields["occurred_at"] = [_("Enter a date and time, e.g. 2026-11-01T09:30:00+08:00.")]
            else:
                if when.tzinfo is None:
                    fields["occurred_at"] = [_("Give the time with its UTC offset, e.g. 2026-11-01T09:30:00+08:00.")]
                elif when > latest:
                    fields["occurred_at"] = [_("This time is in the future.")]
        refs = []
        for name in OPTIONAL_TEXT:
            value = item.get(name)
            if value is None:
                refs.append("")
            elif type(value) is not str:
                fields[name] = [_("Enter text.")]
                refs.append("")
            elif len(value) > TEXT_LIMITS[name]:
                fields[name] = [_("At most %(max)s characters.") % {"max": TEXT_LIMITS[name]}]
                refs.append("")
            elif "\x00" in value:
                fields[name] = [nul_message()]
                refs.append("")
            else:
                refs.append(value)
        touchpoint = item.get("touchpoint") or ""
        if type(touchpoint) is not str:
            fields["touchpoint"] = [_("Enter text.")]
            touchpoint = ""
        elif touchpoint and touchpoint not in touchpoints:
            fields["touchpoint"] = [_("Unknown touchpoint “%(value)s”.") % {"value": str(touchpoint)[:64]}]
        attributes = item.get("attributes")
        if attributes is None:
            attributes = {}
        elif type(attributes) is not dict:
            fields["attributes"] = [_("Attributes are an object.")]
        if strict and not fields:
            if _has_nul(attributes):  # PostgreSQL's jsonb cannot hold it
                fields["attributes"] = [nul_message()]
            else:
                try:
                    dumps(item, ensure_ascii=False).encode()
                except UnicodeEncodeError:
                    fields[""] = [_("The event holds text that is not valid Unicode.")]
        if fields:
            shown = event_id if type(event_id) is str else None
            out.rejected.append({"index": index, "event_id": shown, "fields": fields})
            continue
        if event_id in seen:
            out.duplicates += 1
            continue
        seen.add(event_id)  # type: ignore[arg-type]
        out.rows.append(Row(index, event_id, type_, when, refs[0], refs[1], refs[2], touchpoint, attributes))  # type: ignore[arg-type]
    return out
