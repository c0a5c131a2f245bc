"""Writing one batch of imported complaints: customers, closed cases and complaints, set-wise.

On PostgreSQL the rows go in with `COPY` and their ids are taken from the tables' own sequences in one
statement per table (`nextval` over `generate_series`), so related rows point at each other without a
round trip per row. Elsewhere (SQLite) `bulk_create` does the same work. Either way the caller runs a batch
inside one transaction, and the batch first drops the complaints whose natural key (source, external_ref)
is already present: that is what makes a re-run idempotent and an interrupted run resumable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection

from amends.customers.models import Customer, Segment
from amends.recovery.models import Case, CaseStatus, Closure, Priority

from ..models import Complaint
from .transform import Record

LOOKUP_CHUNK = 900  # parameters per IN (...) look-up, well inside SQLite's limit


@dataclass(frozen=True)
class Context:
    source: str
    org_unit_id: int
    actor_id: int
    now: datetime
    decide_within: timedelta  # the regulatory clock's base period, for each complaint's own due date
    touchpoint_ids: dict[str, int]


def customer_no(source: str, key: str) -> str:
    """The imported complainant's customer number: readable where it fits in 32 characters, hashed where not."""
    readable = f"H-{source.upper()}-{key}"
    if len(readable) <= 32:
        return readable
    return "H-" + hashlib.sha256(f"{source}\0{key}".encode()).hexdigest()[:30].upper()


def present_refs(source: str, refs: Sequence[str]) -> set[str]:
    if connection.vendor == "postgresql":
        # One statement for the batch; the repeated `source <> ''` lets the planner use the partial unique index.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT external_ref FROM intake_complaint"
                " WHERE source = %s AND NOT (source = '') AND external_ref = ANY(%s)",
                [source, list(refs)],
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


def plan(records: Sequence[Record], ctx: Context) -> Planned:
    """Which customers to create: one per complainant key if the source has one, else one per complaint."""
    numbers: list[str] = []
    wanted: dict[str, tuple[str, str, str]] = {}
    keyed: list[str] = []
    for r in records:
        key = r.values.get("customer_key") or ""
        number = customer_no(ctx.source, f"C-{key}" if key else r.external_ref)
        numbers.append(number)
        if number not in wanted:
            name = r.values.get("customer_name") or f"{ctx.source.upper()} {key or r.external_ref}"
            wanted[number] = (number, name[:100], r.values.get("segment") or Segment.INDIVIDUAL)
            if key:
                keyed.append(number)
    # Only a named complainant can already be on file (from an earlier batch or run); an unnamed one is
    # new with their complaint, and a clash on their number is an error the batch must not paper over.
    known = _existing_customers(keyed) if keyed else {}
    return Planned([row for n, row in wanted.items() if n not in known], numbers, known)


def write_batch(records: Sequence[Record], ctx: Context) -> list[int]:
    """Insert the batch (the caller holds the transaction); returns the new complaints' ids."""
    planned = plan(records, ctx)
    if connection.vendor == "postgresql":
        return _copy(records, planned, ctx)
    return _bulk_create(records, planned, ctx)


def _case_values(r: Record, ctx: Context) -> dict[str, Any]:
    return {
        "org_unit_id": ctx.org_unit_id,
        "touchpoint_id": ctx.touchpoint_ids.get(r.values.get("touchpoint") or ""),
        "episode_key": f"import:{ctx.source}:{r.external_ref}"[:80],
        "status": CaseStatus.CLOSED,
        "priority": Priority.NORMAL,
        "priority_score": 0,
        "priority_factors": [],
        "timing": "",
        "round": 1,
        "due_at": None,
        "opened_at": r.received_at,
        "closed_at": r.closed_at,
        "closure": Closure.IMPORTED,
        "version": 1,
    }


def _complaint_values(r: Record, ctx: Context) -> dict[str, Any]:
    v = r.values
    return {
        "channel": v["channel"],
        "received_at": r.received_at,
        "due_at": r.received_at + ctx.decide_within,
        "extension_level": 0,
        "policy_id": None,
        "policy_no": v.get("policy_no", ""),
        "claim_no": v.get("claim_no", ""),
        "touchpoint_id": ctx.touchpoint_ids.get(v.get("touchpoint") or ""),
        "description": v["description"],
        "request": v.get("request", ""),
        "category": v.get("category", ""),
        "request_confirmed": False,
        "loss_amount": v.get("loss_amount"),
        "subject_id": None,
        "created_by_id": ctx.actor_id,
        "created_at": ctx.now,
        "idempotency_key": None,
        "request_digest": "",
        "decided_at": r.closed_at,
        "decision": v.get("decision", ""),
        "line": v.get("line", ""),
        "region": v.get("region", ""),
        "upheld": v.get("upheld"),
        "source": ctx.source,
        "external_ref": r.external_ref,
    }


def _customer_values(row: tuple[str, str, str], ctx: Context) -> dict[str, Any]:
    number, name, segment = row
    return {
        "customer_no": number,
        "name": name,
        "phone": "",
        "email": "",
        "segment": segment,
        "value": 0,
        "since": None,
        "org_unit_id": ctx.org_unit_id,
        "created_at": ctx.now,
        "source": ctx.source,
    }


def _bulk_create(records: Sequence[Record], planned: Planned, ctx: Context) -> list[int]:
    customers = [Customer(**_customer_values(row, ctx)) for row in planned.customers]
    Customer.objects.bulk_create(customers)
    ids = {**planned.known_customers, **{c.customer_no: c.pk for c in customers}}
    cases = [
        Case(customer_id=ids[n], **_case_values(r, ctx)) for r, n in zip(records, planned.customer_of, strict=True)
    ]
    Case.objects.bulk_create(cases)
    complaints = [
        Complaint(case_id=case.pk, customer_id=case.customer_id, **_complaint_values(r, ctx))
        for r, case in zip(records, cases, strict=True)
    ]
    Complaint.objects.bulk_create(complaints)
    return [c.pk for c in complaints]


# --- PostgreSQL: COPY with ids from the sequences -------------------------------------------------------------


def _copy(records: Sequence[Record], planned: Planned, ctx: Context) -> list[int]:
    n = len(records)
    # The raw psycopg cursor (for COPY), its errors turned into Django's like any other statement's.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        customer_ids = _next_ids(raw, "customers_customer", len(planned.customers))
        ids = dict(planned.known_customers)
        customer_rows = []
        for pk, row in zip(customer_ids, planned.customers, strict=True):
            ids[row[0]] = pk
            customer_rows.append({"id": pk, **_customer_values(row, ctx)})
        _copy_rows(raw, "customers_customer", customer_rows)

        case_ids = _next_ids(raw, "recovery_case", n)
        complaint_ids = _next_ids(raw, "intake_complaint", n)
        case_rows, complaint_rows = [], []
        for r, number, case_id, complaint_id in zip(records, planned.customer_of, case_ids, complaint_ids, strict=True):
            customer_id = ids[number]
            case = {"id": case_id, "customer_id": customer_id, **_case_values(r, ctx)}
            case["priority_factors"] = "[]"
            case_rows.append(case)
            complaint_rows.append(
                {"id": complaint_id, "case_id": case_id, "customer_id": customer_id, **_complaint_values(r, ctx)}
            )
        _copy_rows(raw, "recovery_case", case_rows)
        _copy_rows(raw, "intake_complaint", complaint_rows)
    return complaint_ids


def _next_ids(raw: Any, table: str, n: int) -> list[int]:
    if n == 0:
        return []
    raw.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, n],
    )
    return [row[0] for row in raw.fetchall()]


def _copy_rows(raw: Any, table: str, rows: Iterable[dict[str, Any]]) -> None:
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(row.values()))
