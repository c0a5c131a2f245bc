"""Writing a simulated year into the database in bulk, in one transaction: PostgreSQL's COPY, SQLite's
executemany (what bulk_create does, without building a model instance per row). Ids are taken above the
current maximum of each table, so a simulation adds to what is there (a demo, an earlier run) and every
reference is known before a row is written. Fields this module does not know (added later by other apps)
get their model default, so a new column does not break the load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, models, transaction

from amends.customers.models import Customer, Policy
from amends.intake.models import Complaint
from amends.recovery.models import Case, CaseStep, Failure

from .generate import (
    CAUSES,
    CHANNELS,
    DAY,
    DIMENSIONS,
    LINES,
    OUTCOME_NOT_RECOVERED,
    OUTCOME_RECOVERED,
    OUTCOME_UNREACHABLE,
    SEGMENTS,
    Year,
    at,
    day,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建国志红文斌宇浩凯健俊帆晨"
CATEGORY_OF_JOURNEY = {"sale": "sales", "renewal": "renewal", "surrender": "surrender"}
FAILURE_TEXT = "定损员约好上午九点到现场，等到下午三点也没有人来，电话也打不通。"
BATCH = 5000


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date | Decimal):
        return str(value)
    return value


class Writer:
    """Rows into one table through COPY (PostgreSQL) or executemany (SQLite)."""

    def __init__(self, progress: Callable[[str, int], None]):
        self.progress = progress
        self.postgres = connection.vendor == "postgresql"

    def write(self, model: type[models.Model], given: list[str], rows: Iterable[tuple], label: str) -> int:
        fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
        extra = [f for f in fields if f.attname not in given]
        defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
        columns = [*given, *[f.attname for f in extra]]
        by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
        names = ", ".join(connection.ops.quote_name(by_attname[c]) for c in columns)
        table = connection.ops.quote_name(model._meta.db_table)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + defaults)
                        count += 1
                        if count % 100_000 == 0:
                            self.progress(label, count)
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
                for chunk in _chunks(rows, BATCH):
                    cursor.executemany(sql, [tuple(_sqlite_value(v) for v in r + defaults) for r in chunk])
                    count += len(chunk)
                    if count % 100_000 < BATCH:
                        self.progress(label, count)
        self.progress(label, count)
        return count


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _skip_row_triggers() -> None:
    """On PostgreSQL, when the role may (a superuser, as on a bench or demo server), skip the per-row foreign
    key triggers for this transaction: every reference is generated from ids read or assigned above, and the
    checks cost more than the COPY itself. Elsewhere the checks run as usual."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def _reset_sequences(*tables: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            t = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))")


def load(
    year: Year,
    *,
    outlets: list[int],
    touchpoints: list[tuple[int, str]],
    actor_id: int,
    progress: Callable[[str, int], None],
) -> dict[str, int]:
    """Write the year; returns rows written per table. All or nothing."""
    w = Writer(progress)
    counts: dict[str, int] = {}
    n = year.n
    with transaction.atomic():
        _skip_row_triggers()
        c0, p0, k0, f0, q0 = (next_id(m) for m in (Customer, Policy, Case, Failure, Complaint))
        created = datetime(2015, 1, 1, tzinfo=UTC)
        unit = [outlets[int(o)] for o in year.outlet]
        premium = [Decimal(f"{v:.2f}") for v in year.premium]

        def customers() -> Iterator[tuple]:
            for i in range(n):
                cid = c0 + i
                name = SURNAMES[(cid * 7) % len(SURNAMES)] + GIVEN[(cid * 13) % len(GIVEN)]
                yield (
                    cid,
                    f"SIM{cid:010d}",
                    name,
                    f"13{(cid * 7919) % 1_000_000_000:09d}",
                    "",
                    str(SEGMENTS[year.segment[i]]),
                    premium[i],
                    date(2015, 1, 1),
                    unit[i],
                    created,
                )

        counts["customers"] = w.write(
            Customer,
            ["id", "customer_no", "name", "phone", "email", "segment", "value", "since", "org_unit_id", "created_at"],
            customers(),
            "customers",
        )
        policy_fields = [
            "id",
            "policy_no",
            "customer_id",
            "line",
            "premium",
            "start_date",
            "end_date",
            "status",
            "org_unit_id",
            "renewal_of_id",
        ]

        def terms() -> Iterator[tuple]:
            for i in range(n):
                start = day(year.start[i])
                status = "expired" if year.renewed[i] else "lapsed"
                yield (
                    p0 + i,
                    f"SP{p0 + i:012d}",
                    c0 + i,
                    str(LINES[year.line[i]]),
                    premium[i],
                    start,
                    start + timedelta(days=364),
                    status,
                    unit[i],
                    None,
                )

        def renewals() -> Iterator[tuple]:
            k = 0
            for i in range(n):
                if not year.renewed[i]:
                    continue
                start = day(year.start[i]) + timedelta(days=365)
                pid = p0 + n + k
                k += 1
                yield (
                    pid,
                    f"SP{pid:012d}",
                    c0 + i,
                    str(LINES[year.line[i]]),
                    premium[i],
                    start,
                    start + timedelta(days=364),
                    "active",
                    unit[i],
                    p0 + i,
                )

        counts["policies"] = w.write(Policy, policy_fields, terms(), "policy terms")
        counts["policies"] += w.write(Policy, policy_fields, renewals(), "renewals")
        case_index = [i for i in range(n) if year.has_case[i]]
        tp = [touchpoints[int(year.touchpoint[i])] for i in case_index]

        def cases() -> Iterator[tuple]:
            for j, i in enumerate(case_index):
                opened = at(year.opened[i])
                o = int(year.outcome[i])
                if o == OUTCOME_RECOVERED:
                    status, closed, closure, rnd = (
                        "closed",
                        at(year.opened[i] + year.recover_seconds[i]),
                        "recovered",
                        1,
                    )
                elif o == OUTCOME_UNREACHABLE:
                    status, closed, closure, rnd = "closed", at(year.opened[i] + 10 * DAY), "unreachable", 1
                else:
                    status, closed, closure, rnd = "in_progress", None, "", 2
                due = opened + timedelta(days=15) if status != "closed" else None
                yield (
                    k0 + j,
                    c0 + i,
                    unit[i],
                    actor_id,
                    tp[j][0],
                    f"sim:{c0 + i}",
                    status,
                    3,
                    20,
                    "{}",
                    "after_process",
                    rnd,
                    due,
                    opened,
                    closed,
                    closure,
                    1,
                )

        counts["cases"] = w.write(
            Case,
            [
                "id",
                "customer_id",
                "org_unit_id",
                "owner_id",
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
            ],
            cases(),
            "cases",
        )

        def failures() -> Iterator[tuple]:
            for j, i in enumerate(case_index):
                source = "complaint" if year.complained[i] else ("warning" if j % 2 else "callback")
                yield (
                    f0 + j,
                    k0 + j,
                    c0 + i,
                    tp[j][0],
                    str(DIMENSIONS[year.dimension[i]]),
                    3,
                    str(CAUSES[year.cause[i]]),
                    source,
                    "",
                    FAILURE_TEXT,
                    at(year.occurred[i]),
                )

        counts["failures"] = w.write(
            Failure,
            [
                "id",
                "case_id",
                "customer_id",
                "touchpoint_id",
                "dimension",
                "gap",
                "cause",
                "source",
                "source_ref",
                "description",
                "occurred_at",
            ],
            failures(),
            "failures",
        )

        def complaints() -> Iterator[tuple]:
            q = 0
            for j, i in enumerate(case_index):
                if not year.complained[i]:
                    continue
                received = at(year.opened[i])
                journey = tp[j][1].split(".", 1)[0]
                category = CATEGORY_OF_JOURNEY.get(journey, "claims" if journey.endswith("claim") else "policy_service")
                decided = at(year.opened[i] + year.decided_after[i])
                yield (
                    q0 + q,
                    k0 + j,
                    c0 + i,
                    str(CHANNELS[year.channel[i]]),
                    received,
                    received + timedelta(days=15),
                    0,
                    p0 + i,
                    f"SP{p0 + i:012d}",
                    "",
                    tp[j][0],
                    FAILURE_TEXT,
                    "尽快处理并道歉",
                    category,
                    True,
                    None,
                    None,
                    actor_id,
                    received,
                    None,
                    "",
                    decided,
                    "已告知处理结果",
                )
                q += 1

        counts["complaints"] = w.write(
            Complaint,
            [
                "id",
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
            ],
            complaints(),
            "complaints",
        )

        def steps() -> Iterator[tuple]:
            for j, i in enumerate(case_index):
                opened = year.opened[i]
                yield (
                    k0 + j,
                    1,
                    "apology",
                    False,
                    "",
                    "已向客户致歉",
                    "",
                    actor_id,
                    at(opened + year.first_response[i]),
                )
                o = int(year.outcome[i])
                done = opened + (year.recover_seconds[i] if o != OUTCOME_UNREACHABLE else 10 * DAY)
                outcome = {
                    OUTCOME_RECOVERED: "recovered",
                    OUTCOME_UNREACHABLE: "unreachable",
                    OUTCOME_NOT_RECOVERED: "not_recovered",
                }[o]
                yield (k0 + j, 1, "follow_up", False, "", "回访", outcome, actor_id, at(max(done, opened + 3600)))

        counts["steps"] = w.write(
            CaseStep,
            ["case_id", "round", "step", "skipped", "skipped_reason", "note", "outcome", "actor_id", "at"],
            steps(),
            "steps",
        )
        _reset_sequences(Customer, Policy, Case, Failure, Complaint, CaseStep)
    return counts
