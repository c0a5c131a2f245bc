"""Writing one batch of imported complaints: customers, closed cases and complaints, set-wise.

On PostgreSQL the rows go in with binary `COPY` and their ids are taken from the tables' own sequences in
one statement per table (`nextval` over `generate_series`), so related rows point at each other without a
round trip per row; where the role may, their foreign keys are checked per batch (`references.py`).
Elsewhere (SQLite) `bulk_create` does the same work. Either way the caller first drops the complaints whose
natural key (source, external_ref) is already present (`present_refs`), which makes a re-run idempotent and an
interrupted run resumable, `prepare`s the rest, and runs `write_batch` inside one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection, models

from amends.customers.models import Customer, Segment
from amends.recovery.models import Case, CaseStatus, Closure, Priority

from ..models import Complaint
from . import references
from .transform import Record

LOOKUP_CHUNK = 900  # parameters per IN (...) look-up, well inside SQLite's limit
ZERO = Decimal("0")
M = TypeVar("M", bound=models.Model)
CLOSED, NORMAL, IMPORTED = CaseStatus.CLOSED.value, Priority.NORMAL.value, Closure.IMPORTED.value


@dataclass(frozen=True)
class Context:
    source: str
    org_unit_id: int
    actor_id: int
    now: datetime
    decide_within: timedelta  # the regulatory clock's base period, for each complaint's own due date
    touchpoint_ids: dict[str, int]
    set_wise_checks: bool = False  # PostgreSQL: foreign keys checked per batch, not per row (see references.py)


def customer_no(source: str, key: str) -> str:
    """The imported complainant's customer number: readable where it fits in 32 characters, hashed where not."""
    readable = f"H-{source.upper()}-{key}"
    if len(readable) <= 32:
        return readable
    return "H-" + hashlib.sha256(f"{source}\0{key}".encode()).hexdigest()[:30].upper()


def present_refs(source: str, refs: Sequence[str]) -> set[str]:
    if connection.vendor == "postgresql":
        # One statement for the batch, one probe of the partial unique index per reference (the repeated
        # `source <> ''` lets the planner use it). Written as a lateral LIMIT 1 so that the plan stays a probe
        # per reference: as `external_ref = ANY(...)` the planner prefers to scan all of the source's
        # complaints once it has many, and every batch then costs as much as the whole table.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.ref FROM unnest(%s::text[]) AS r(ref) CROSS JOIN LATERAL (SELECT 1 FROM intake_complaint c"
                " WHERE c.source = %s AND NOT (c.source = '') AND c.external_ref = r.ref LIMIT 1) AS found",
                [list(refs), source],
            )
            return {ref for (ref,) in cursor.fetchall()}
    found: set[str] = set()
    for i in range(0, len(refs), LOOKUP_CHUNK):
        chunk = refs[i : i + LOOKUP_CHUNK]
        found.update(
            Complaint.objects.filter(source=source, external_ref__in=chunk)
            .exclude(source="")
            .values_list("external_ref", flat=True)
        )
    return found


def _existing_customers(numbers: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(numbers), LOOKUP_CHUNK):
        chunk = numbers[i : i + LOOKUP_CHUNK]
        found.update(Customer.objects.filter(customer_no__in=chunk).values_list("customer_no", "pk"))
    return found


@dataclass
class Planned:
    """One batch as rows of plain values, ids not yet known."""

    customers: list[tuple[str, str, str]]  # (customer_no, name, segment) to create
    customer_of: list[str]  # per record: its customer's number
    known_customers: dict[str, int]
    keyed: set[str]  # the numbers among `customers` that belong to a complainant key


def plan(records: Sequence[Record], ctx: Context, created: dict[str, int]) -> Planned:
    """Which customers to create: one per complainant key if the source has one, else one per complaint.
    `created`: the keyed customers this run has already given an id (their batch may not be committed yet)."""
    numbers: list[str] = []
    wanted: dict[str, tuple[str, str, str]] = {}
    keyed: set[str] = set()
    for r in records:
        key = r.values.get("customer_key") or ""
        number = customer_no(ctx.source, f"C-{key}" if key else r.external_ref)
        numbers.append(number)
        if number not in wanted:
            name = r.values.get("customer_name") or f"{ctx.source.upper()} {key or r.external_ref}"
            wanted[number] = (number, name[:100], r.values.get("segment") or Segment.INDIVIDUAL)
            if key:
                keyed.add(number)
    # Only a named complainant can already be on file (from an earlier batch or run); an unnamed one is
    # new with their complaint, and a clash on their number is an error the batch must not paper over.
    known = {n: created[n] for n in keyed if n in created}
    if unknown := [n for n in keyed if n not in known]:
        known |= _existing_customers(unknown)
    return Planned([row for n, row in wanted.items() if n not in known], numbers, known, keyed - set(known))


@dataclass
class Prepared:
    """A batch ready to write. On PostgreSQL its rows, ids included (taken from the sequences beforehand, so
    that the writer's transaction only copies); elsewhere its records, planned and created when written."""

    records: Sequence[Record]
    tables: dict[str, references.Written]
    complaint_ids: list[int]


def prepare(records: Sequence[Record], ctx: Context, created: dict[str, int]) -> Prepared:
    """Everything but the write, outside the batch's transaction (sequences are not transactional: the ids
    of a batch that fails are gaps, as any rolled-back insert leaves). Notes new keyed customers in `created`."""
    if connection.vendor != "postgresql" or not records:
        return Prepared(records, {}, [])
    planned = plan(records, ctx, created)
    n = len(records)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        customer_ids = _next_ids(cursor.cursor, "customers_customer", len(planned.customers))
        case_ids = _next_ids(cursor.cursor, "recovery_case", n)
        complaint_ids = _next_ids(cursor.cursor, "intake_complaint", n)
    ids = dict(planned.known_customers)
    customers = []
    for pk, row in zip(customer_ids, planned.customers, strict=True):
        ids[row[0]] = pk
        customers.append((pk, *_customer_row(row, ctx)))
    created.update((number, ids[number]) for number in planned.keyed)
    cases, complaints = [], []
    for r, number, case_id, complaint_id in zip(records, planned.customer_of, case_ids, complaint_ids, strict=True):
        customer_id = ids[number]
        cases.append((case_id, *_case_row(r, customer_id, ctx)))
        complaints.append((complaint_id, *_complaint_row(r, case_id, customer_id, ctx)))
    tables = {
        "customers_customer": references.Written(("id", *CUSTOMER_COLUMNS), customers),
        "recovery_case": references.Written(("id", *CASE_COLUMNS), cases),
        "intake_complaint": references.Written(("id", *COMPLAINT_COLUMNS), complaints),
    }
    return Prepared(records, tables, complaint_ids)


def write_batch(prepared: Prepared, ctx: Context) -> list[int]:
    """Insert the batch (the caller holds the transaction); returns the new complaints' ids."""
    if prepared.tables:
        _copy(prepared, ctx)
        return prepared.complaint_ids
    if not prepared.records:
        return []
    return _bulk_create(prepared.records, plan(prepared.records, ctx, {}), ctx)


# One tuple per row, in these columns' order: the same values go to `bulk_create` and to COPY.
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer_no",
    "name",
    "phone",
    "email",
    "segment",
    "value",
    "since",
    "org_unit_id",
    "created_at",
    "source",
)
CASE_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "org_unit_id",
    "touchpoint_id",
    "episode_key",
    "status",
    "priority",
    "priority_score",
    "severity",
    "timing",
    "round",
    "due_at",
    "opened_at",
    "closed_at",
    "closure",
    "version",
)
COMPLAINT_COLUMNS: tuple[str, ...] = (
    "case_id",
    "customer_id",
    "channel",
    "received_at",
    "due_at",
    "extension_level",
    "policy_id",
    "policy_no",
    "claim_no",
    "touchpoint_id",
    "description",
    "request",
    "category",
    "request_confirmed",
    "loss_amount",
    "subject_id",
    "created_by_id",
    "created_at",
    "idempotency_key",
    "request_digest",
    "decided_at",
    "decision",
    "line",
    "region",
    "result",
    "at_fault",
    "source",
    "external_ref",
    # The procedure's columns: COPY gives an unlisted column NULL (Django keeps defaults in Python, not the table).
    "paused_days",
    "filed_as",
    "filer_name",
    "filer_contact",
    "filer_authority",
    "regulator_ref",
    "regulator_feedback",
    "coverage",
)


def _customer_row(row: tuple[str, str, str], ctx: Context) -> tuple[Any, ...]:
    number, name, segment = row
    return (number, name, "", "", segment, ZERO, None, ctx.org_unit_id, ctx.now, ctx.source)


def _case_row(r: Record, customer_id: int | None, ctx: Context) -> tuple[Any, ...]:
    touchpoint_id = ctx.touchpoint_ids.get(r.values.get("touchpoint") or "")
    episode_key = f"import:{ctx.source}:{r.external_ref}"[:80]
    return (
        *(customer_id, ctx.org_unit_id, touchpoint_id, episode_key, CLOSED, NORMAL, 0, {}),
        *("", 1, None, r.received_at, r.closed_at, IMPORTED, 1),
    )


def _complaint_row(r: Record, case_id: int | None, customer_id: int | None, ctx: Context) -> tuple[Any, ...]:
    v = r.values
    touchpoint_id = ctx.touchpoint_ids.get(v.get("touchpoint") or "")
    return (
        *(case_id, customer_id, v["channel"], r.received_at, r.received_at + ctx.decide_within, 0, None),
        *(v.get("policy_no", ""), v.get("claim_no", ""), touchpoint_id, v["description"], v.get("request", "")),
        *(v.get("category", ""), False, v.get("loss_amount"), None, ctx.actor_id, ctx.now, None, ""),
        *(r.closed_at, v.get("decision", ""), v.get("line", ""), v.get("region", ""), v.get("result", "")),
        v.get("at_fault"),
        *(ctx.source, r.external_ref),
        *(0, "", "", "", "", "", ""),
        v.get("coverage", "")[:60],
    )


def _bulk_create(records: Sequence[Record], planned: Planned, ctx: Context) -> list[int]:
    customers = [_model(Customer, CUSTOMER_COLUMNS, _customer_row(row, ctx)) for row in planned.customers]
    Customer.objects.bulk_create(customers)
    ids = {**planned.known_customers, **{c.customer_no: c.pk for c in customers}}
    cases = [
        _model(Case, CASE_COLUMNS, _case_row(r, ids[n], ctx)) for r, n in zip(records, planned.customer_of, strict=True)
    ]
    Case.objects.bulk_create(cases)
    complaints = [
        _model(Complaint, COMPLAINT_COLUMNS, _complaint_row(r, case.pk, case.customer_id, ctx))
        for r, case in zip(records, cases, strict=True)
    ]
    Complaint.objects.bulk_create(complaints)
    return [c.pk for c in complaints]


def _model(model: type[M], columns: Sequence[str], row: tuple[Any, ...]) -> M:
    return model(**dict(zip(columns, row, strict=True)))


# --- PostgreSQL: COPY with ids from the sequences -------------------------------------------------------------


def _copy(prepared: Prepared, ctx: Context) -> None:
    # The raw psycopg cursor (for COPY), its errors turned into Django's like any other statement's.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if ctx.set_wise_checks:
            references.skip_row_checks(raw)
        for table, rows in prepared.tables.items():
            _copy_rows(raw, table, rows)
        if ctx.set_wise_checks:
            references.check_references(raw, prepared.tables)


def _next_ids(raw: Any, table: str, n: int) -> list[int]:
    if n == 0:
        return []
    # The sequence is looked up once (materialized): pg_get_serial_sequence per row costs ten times nextval.
    raw.execute(
        "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq)"
        " SELECT array_agg(nextval(seq)) FROM s, generate_series(1, %s)",
        [table, n],
    )
    return list(raw.fetchone()[0])


def _copy_rows(raw: Any, table: str, written: references.Written) -> None:
    """Binary COPY: psycopg packs each value straight from its Python object, no text to format and parse,
    which is most of the writer's CPU; it needs each column's exact type, read from the catalogue."""
    if not written.rows:
        return
    raw.execute(
        "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        [table],
    )
    types = dict(raw.fetchall())
    with raw.copy(f"COPY {table} ({', '.join(written.columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([types[c] for c in written.columns])
        for row in written.rows:
            copy.write_row(row)
