"""Ingesting events from other systems (`event_ingest`): check, store the new ones, run the on-ingest rules.

Built for volume. PostgreSQL: Python checks each event (cheap dict work, no model instances), then one
`INSERT … SELECT … FROM jsonb_array_elements(<the batch's JSON text>) … ON CONFLICT (event_id) DO NOTHING
RETURNING event_id` stores the valid ones: PostgreSQL parses the JSON itself, so no event is serialised
again in Python, and a repeated event is ignored by the database even when two senders race. SQLite: one
`INSERT OR IGNORE` executemany inside the immediate transaction. The rules then run set-wise over the new
rows: one query per rule per batch, never one per event. All of it is one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from amends.accounts.access import require
from amends.accounts.models import Role, User
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.errors import InvalidInput
from amends.journeys.models import Touchpoint

from ..validation import COLUMNS, MAX_BATCH, Row, check_events, needs_text_check

SENDS_EVENTS = {Role.ADMIN}
CLOCK_SKEW = timedelta(minutes=5)


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    alerts: int = 0  # raised by the on-ingest rules

    def as_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def touchpoint_codes() -> frozenset[str]:
    return frozenset(Touchpoint.objects.values_list("code", flat=True))


@transaction.atomic
def event_ingest(
    *, actor: User | None, events: list[Any], text: str | None = None, shape: str = "list", run_rules: bool = True
) -> IngestResult:
    """Keep the valid events of a batch (≤ 10,000), ignore ones already kept, report the invalid ones by index.

    `text` is the JSON the events were parsed from, when the caller has it (the API's request body): `shape`
    says where the events are in it, `batch` ({"events": [...]}), `single` (one event) or `list`. `actor`
    None is the command-line import (the operator is trusted)."""
    if actor is not None:
        require(actor, SENDS_EVENTS)
    if len(events) > MAX_BATCH:
        raise InvalidInput(
            _("At most %(max)s events per request; split the batch.") % {"max": f"{MAX_BATCH:,}"},
            fields={"events": [_("Too many events.")]},
        )
    now = clock.now()
    strict = text is None or needs_text_check(text)
    checked = check_events(events, touchpoints=touchpoint_codes(), latest=now + CLOCK_SKEW, strict=strict)
    result = IngestResult(rejected=checked.rejected)
    if not checked.rows:
        result.duplicates = checked.duplicates
        return result
    if connection.vendor == "postgresql":
        # The batch's statements are short and planned fresh each time: compiling them (JIT) would cost more
        # than running them, and PostgreSQL's cost estimate for a 10,000-element array cannot tell.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        keep: list[int] | None = None
        if strict:  # the text (if any) may hold what PostgreSQL refuses: send only the kept events, re-serialised
            text, shape = json.dumps([events[r.position] for r in checked.rows], ensure_ascii=False), "list"
        elif len(checked.rows) != len(events):
            keep = [r.position for r in checked.rows]
        assert text is not None
        new_ids = _insert_postgres(text, shape, keep, now)
        fresh = (
            checked.rows if len(new_ids) == len(checked.rows) else [r for r in checked.rows if r.event_id in new_ids]
        )
    else:
        fresh = _insert_sqlite(checked.rows, now)
    result.accepted = len(fresh)
    result.duplicates = checked.duplicates + len(checked.rows) - len(fresh)
    if fresh:
        # One audit row per batch: the events are the sender's facts, kept as sent; what the rules do with
        # them (alerts, failures, cases) is audited row by row where it happens.
        AuditEntry.objects.create(
            at=now,
            actor=actor,
            action="event.ingest",
            object_type="warning.event",
            object_id=fresh[0].event_id,
            after={"accepted": result.accepted, "duplicates": result.duplicates},
        )
        if run_rules:
            from ..rules.runner import run_on_ingest

            result.alerts = run_on_ingest(fresh, now=now)
    return result


SOURCES = {
    "list": "jsonb_array_elements(%s::jsonb)",
    "batch": "jsonb_array_elements(%s::jsonb -> 'events')",
    "single": "jsonb_array_elements(jsonb_build_array(%s::jsonb))",
}


def _insert_postgres(text: str, shape: str, keep: list[int] | None, now: datetime) -> set[str]:
    """Store the events at the `keep` positions (all when None) straight from the batch's JSON text."""
    columns = ", ".join(COLUMNS)
    params: list[Any] = [now, text]
    join = ""
    if keep is not None:
        join = "JOIN unnest(%s::int[]) AS k(i) ON k.i = e.i - 1"
        params.append(keep)
    sql = f"""
        INSERT INTO warning_event ({columns})
        SELECT d->>'event_id', d->>'type', (d->>'occurred_at')::timestamptz, %s,
               coalesce(d->>'customer_ref', ''), coalesce(d->>'policy_no', ''), coalesce(d->>'claim_no', ''),
               coalesce(d->>'touchpoint', ''),
               CASE WHEN jsonb_typeof(d->'attributes') = 'object' THEN d->'attributes' ELSE '{{}}'::jsonb END
        FROM {SOURCES[shape]} WITH ORDINALITY AS e(d, i) {join}
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _insert_sqlite(rows: list[Row], now: datetime) -> list[Row]:
    def stored(moment: datetime) -> str:  # Django's SQLite form: UTC, no offset
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

    existing: set[str] = set()
    ids = [r.event_id for r in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT event_id FROM warning_event WHERE event_id IN ({marks})", chunk)
            existing.update(row[0] for row in cursor.fetchall())
        fresh = [r for r in rows if r.event_id not in existing]
        received = stored(now)
        marks = ", ".join(["%s"] * len(COLUMNS))
        cursor.executemany(
            f"INSERT OR IGNORE INTO warning_event ({', '.join(COLUMNS)}) VALUES ({marks})",
            [
                (
                    r.event_id,
                    r.type,
                    stored(r.occurred_at),
                    received,
                    r.customer_ref,
                    r.policy_no,
                    r.claim_no,
                    r.touchpoint,
                    json.dumps(r.attributes, ensure_ascii=False),
                )
                for r in rows
                if r.event_id not in existing
            ],
        )
    return fresh
