"""Writing a simulated year into the database in bulk, in one transaction, through the world builder's bulk
writer (`assembly.world.bulk`). Ids are taken above the current maximum of each table, so a simulation adds to
what is there (a demo, an earlier run) and every reference is known before a row is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from amends.assembly.world import CustomerSpec, PolicySpec, numbered_name, numbered_phone
from amends.assembly.world.bulk import Writer, next_id, reset_sequences, skip_row_triggers
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

CATEGORY_OF_JOURNEY = {"sale": "sales", "renewal": "renewal", "surrender": "surrender"}
FAILURE_TEXT = "定损员约好上午九点到现场，等到下午三点也没有人来，电话也打不通。"


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
        skip_row_triggers()
        c0, p0, k0, f0, q0 = (next_id(m) for m in (Customer, Policy, Case, Failure, Complaint))
        created = datetime(2015, 1, 1, tzinfo=UTC)
        since = date(2015, 1, 1)
        unit = [outlets[int(o)] for o in year.outlet]
        premium = [Decimal(f"{v:.2f}") for v in year.premium]

        def customers() -> Iterator[CustomerSpec]:
            for i in range(n):
                cid = c0 + i
                yield CustomerSpec(
                    f"SIM{cid:010d}",
                    numbered_name(cid),
                    unit[i],
                    created,
                    segment=str(SEGMENTS[year.segment[i]]),
                    phone=numbered_phone(cid),
                    value=premium[i],
                    since=since,
                    id=cid,
                )

        counts["customers"] = w.customers(customers())

        def terms() -> Iterator[PolicySpec]:
            for i in range(n):
                start = day(year.start[i])
                status = "expired" if year.renewed[i] else "lapsed"
                yield PolicySpec(
                    f"SP{p0 + i:012d}",
                    c0 + i,
                    str(LINES[year.line[i]]),
                    premium[i],
                    start,
                    start + timedelta(days=364),
                    unit[i],
                    status,
                    id=p0 + i,
                )

        def renewals() -> Iterator[PolicySpec]:
            k = 0
            for i in range(n):
                if not year.renewed[i]:
                    continue
                start = day(year.start[i]) + timedelta(days=365)
                pid = p0 + n + k
                k += 1
                yield PolicySpec(
                    f"SP{pid:012d}",
                    c0 + i,
                    str(LINES[year.line[i]]),
                    premium[i],
                    start,
                    start + timedelta(days=364),
                    unit[i],
                    "active",
                    renewal_of_id=p0 + i,
                    id=pid,
                )

        counts["policies"] = w.policies(terms(), "policy terms")
        counts["policies"] += w.policies(renewals(), "renewals")
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
        reset_sequences(Customer, Policy, Case, Failure, Complaint, CaseStep)
    return counts
