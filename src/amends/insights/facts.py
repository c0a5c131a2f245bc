"""Writing the facts the reports read (see `insights.models`): all of them (`rebuild`), or those of the source rows
the triggers noted as changed (`bring_up_to_date`, before every report and in the worker every minute).

Each fact table is filled by one `INSERT INTO … SELECT` compiled from a Django queryset over its source, so the
joins and the per-row subqueries (the first response, whether a failure repeats one) run once per changed row
in the database, not once per row per report. Recomputing is delete-then-insert by id, in one transaction;
a row noted while this runs stays noted for the next run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf, Round, TruncDate

from amends.core import clock
from amends.customers.models import Line, Policy, PolicyStatus
from amends.discretion.models import SPENDING, LedgerEntry
from amends.intake.models import Channel, Complaint, Review
from amends.recovery.models import Case, CaseStep, Failure, Step, Timing
from amends.text.models import CodeField, ComplaintCode
from amends.warning.models import Event

from .expressions import DaysBetween, Seconds
from .models import CaseFact, ComplaintFact, FailureFact, FollowUpFact, Freshness, Memo, Stale, TermFact

# What a noted `ref` is. The triggers write these (insights/facts_triggers.py).
COMPLAINT, CASE, FAILURE, CUSTOMER_FAILURES, CUSTOMER = "complaint", "case", "failure", "customer_failures", "customer"
TERM, CUSTOMER_TERMS = "term", "customer_terms"  # a policy term; every term of a customer
ALL = "all"  # every fact: `rebuild`
POLICIES = "policies"  # some policy changed: the remembered policy figures go

CHANNEL_BITS = {code: 1 << i for i, code in enumerate(Channel.values)}
LINE_BITS = {code: 1 << i for i, code in enumerate(Line.values)}


def _case_bits(case_ref: str, bits: dict[str, int], condition: Any) -> Coalesce:
    """The bit set of a case's complaints' channels or lines: SUM(DISTINCT bit), an OR that SQLite can do too."""
    bit = CaseWhen(
        *[When(condition(code), then=Value(value)) for code, value in bits.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    per_case = (
        Complaint.objects.filter(case_id=OuterRef(case_ref))
        .order_by()
        .values("case_id")
        .annotate(bits=Sum(bit, distinct=True))
        .values("bits")[:1]
    )
    return Coalesce(Subquery(per_case, output_field=IntegerField()), Value(0))


def channels_of(case_ref: str) -> Coalesce:
    return _case_bits(case_ref, CHANNEL_BITS, lambda code: Q(channel=code))


def lines_of(case_ref: str) -> Coalesce:
    # A complaint's line is its own where it has one (imported history), else its policy's.
    return _case_bits(case_ref, LINE_BITS, lambda code: Q(line=code) | Q(line="", policy__line=code))


def _window(at: str) -> dict[str, Any]:
    return {
        f"{at}__lt": OuterRef("at"),
        f"{at}__gte": OuterRef("at") - timedelta(days=settings.AMENDS_REPEAT_WINDOW_DAYS),
    }


def repeats_one(failure_side: bool) -> Any:
    """An earlier failure or complaint of the same customer within the repeat window (any touchpoint, any
    source; a complaint is the customer's own report of a failure). A complaint and a failure on the same
    case tell of one episode, so the other kind counts only from another case. The row is annotated with
    `at` (its time) and `case_id`."""
    customer = OuterRef("customer_id")
    failures = Failure.objects.filter(customer_id=customer, **_window("occurred_at"))
    complaints = Complaint.objects.filter(customer_id=customer, **_window("received_at"))
    if failure_side:
        complaints = complaints.exclude(case_id=OuterRef("case_id"))
    else:
        failures = failures.exclude(case_id=OuterRef("case_id"))
    return Exists(failures) | Exists(complaints)


def previous_event(failure_side: bool) -> Any:
    """When the same customer's failure or complaint just before this one happened (a tie with a row of the
    same kind broken by id; the other kind from another case), if any."""

    def before(at: str, same_kind: bool) -> Subquery:
        earlier = Q(**{f"{at}__lt": OuterRef("at")})
        model = Failure if at == "occurred_at" else Complaint
        rows = model.objects.filter(customer_id=OuterRef("customer_id"))
        if same_kind:
            earlier |= Q(**{at: OuterRef("at"), "pk__lt": OuterRef("pk")})
        else:  # the other kind on the same case is the same episode (see `repeats_one`)
            rows = rows.exclude(case_id=OuterRef("case_id"))
        return Subquery(rows.filter(earlier).order_by(f"-{at}", "-pk").values(at)[:1])

    failure, complaint = before("occurred_at", failure_side), before("received_at", not failure_side)
    # GREATEST ignoring a missing side (SQLite's MAX(a, b) is NULL when either is).
    return Greatest(Coalesce(failure, complaint), Coalesce(complaint, failure))


def _confirmed(field: str) -> Coalesce:
    """The code staff confirmed for one field of the complaint, "" while uncoded."""
    code = ComplaintCode.objects.filter(complaint_id=OuterRef("pk"), field=field).values("code")[:1]
    return Coalesce(Subquery(code, output_field=CharField()), Value(""), output_field=CharField())


def _unless_withdrawn(value: Any, field: Any) -> CaseWhen:
    """The decision's figure, or NULL for a withdrawn complaint: its procedure ended without a decision."""
    return CaseWhen(
        When(withdrawn_at__isnull=False, then=Value(None)),
        default=ExpressionWrapper(value, output_field=field),
        output_field=field,
    )


def _review(field: str) -> Subquery:
    """A moment of the complaint's review (核查), if one was asked (one per complaint)."""
    return Subquery(Review.objects.filter(complaint_id=OuterRef("pk")).values(field)[:1], output_field=DateTimeField())


def _complaints(where: Q) -> QuerySet[Any]:
    first_step = Subquery(
        CaseStep.objects.filter(case_id=OuterRef("case_id"), at__gte=OuterRef("received_at"))
        .order_by("at")
        .values("at")[:1]
    )
    return (
        Complaint.objects.filter(where)
        .annotate(at=F("received_at"))
        .annotate(
            f_complaint_id=F("pk"),
            f_case_id=F("case_id"),
            f_customer_id=F("customer_id"),
            f_received_on=TruncDate("received_at"),
            f_unit_id=F("case__org_unit_id"),
            f_segment=F("customer__segment"),
            f_channel=F("channel"),
            f_line=Coalesce(NullIf(F("line"), Value("")), F("policy__line"), Value("")),
            f_region=Coalesce(NullIf(F("region"), Value("")), F("case__org_unit__region"), Value("")),
            f_category=F("category"),
            f_touchpoint_id=F("touchpoint_id"),
            f_due_at=F("due_at"),
            f_due_on=TruncDate("due_at"),
            f_decided_on=_unless_withdrawn(TruncDate("decided_at"), DateField()),
            f_first_response_s=Seconds(first_step, F("received_at")),
            # The law leaves paused days out of the period, and the figures out of the days to decide.
            f_resolution_s=_unless_withdrawn(
                Seconds(F("decided_at"), F("received_at")) - F("paused_days") * Value(86400.0), FloatField()
            ),
            f_resolution_days=_unless_withdrawn(
                DaysBetween(TruncDate("decided_at"), TruncDate("received_at")) - F("paused_days"), IntegerField()
            ),
            f_withdrawn=CaseWhen(
                When(withdrawn_at__isnull=False, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            f_paused_days=F("paused_days"),
            f_review_due_at=_review("due_at"),
            f_review_decided_at=_review("decided_at"),
            f_review_resolution_s=Seconds(_review("decided_at"), _review("requested_at")),
            f_result=F("result"),
            f_cause=_confirmed(CodeField.CAUSE),
            f_dimension=_confirmed(CodeField.DIMENSION),
            f_gap=_confirmed(CodeField.GAP),
            f_reason=_confirmed(CodeField.REASON),
            f_product_line=_confirmed(CodeField.PRODUCT_LINE),
            f_coverage=F("coverage"),
            f_repeat=repeats_one(False),
            f_previous_on=TruncDate(previous_event(False)),
        )
    )


def _cases(where: Q) -> QuerySet[Any]:
    return Case.objects.filter(where).annotate(
        f_case_id=F("pk"),
        f_customer_id=F("customer_id"),
        f_opened_on=TruncDate("opened_at"),
        f_closed_on=TruncDate("closed_at"),
        f_unit_id=F("org_unit_id"),
        f_segment=F("customer__segment"),
        f_touchpoint_id=F("touchpoint_id"),
        f_channels=channels_of("pk"),
        f_lines=lines_of("pk"),
    )


def _failures(where: Q) -> QuerySet[Any]:
    return (
        Failure.objects.filter(where)
        .annotate(at=F("occurred_at"))
        .annotate(
            f_failure_id=F("pk"),
            f_case_id=F("case_id"),
            f_customer_id=F("customer_id"),
            f_occurred_on=TruncDate("occurred_at"),
            f_unit_id=F("case__org_unit_id"),
            f_segment=F("customer__segment"),
            f_touchpoint_id=F("touchpoint_id"),
            f_cause=F("cause"),
            f_dimension=F("dimension"),
            f_gap=Coalesce(Cast("gap", CharField()), Value(""), output_field=CharField()),
            f_repeat=repeats_one(True),
            f_previous_on=TruncDate(previous_event(True)),
            f_channels=channels_of("case_id"),
            f_lines=lines_of("case_id"),
        )
    )


def _follow_ups(where: Q) -> QuerySet[Any]:
    return CaseStep.objects.filter(where, step=Step.FOLLOW_UP, skipped=False).annotate(
        f_step_id=F("pk"),
        f_case_id=F("case_id"),
        f_customer_id=F("case__customer_id"),
        f_on=TruncDate("at"),
        f_unit_id=F("case__org_unit_id"),
        f_segment=F("case__customer__segment"),
        f_touchpoint_id=F("case__touchpoint_id"),
        f_outcome=F("outcome"),
        f_timing=F("case__timing"),
        f_channels=channels_of("case_id"),
        f_lines=lines_of("case_id"),
    )


def _in_term(prefix: str) -> dict[str, Any]:
    return {
        "customer_id": OuterRef("customer_id"),
        f"{prefix}__date__gte": OuterRef("start_date"),
        f"{prefix}__date__lte": OuterRef("end_date"),
    }


def _reported(kind: str) -> Exists:
    """An outcome another system reported as an event, by the term's policy number (the events' partial index)."""
    return Exists(Event.objects.filter(type=kind, policy_no=OuterRef("policy_no")).exclude(policy_no=""))


DAY = 86400
# Time to recover: the buckets the retention report compares (the last has no limit).
RECOVERY_TIMES = [("0-1d", 1), ("1-3d", 3), ("3-7d", 7), ("7-15d", 15), ("15d+", None)]
# A term's four retention groups and the values each takes, in the order its `cohort` number encodes them
# (mixed radix: each group's position in its list). A value not listed leaves the cohort null, which the
# column refuses: a new group value cannot be counted silently in the wrong group.
COHORTS: list[tuple[str, list[str]]] = [
    ("recovery_time", ["", *[key for key, _limit in RECOVERY_TIMES]]),
    ("recovery_outcome", ["", "recovered", "not_recovered", "unreachable"]),
    ("experience", ["no_recorded_failure", "failure_no_complaint", "complained"]),
    ("timing", ["", *Timing.values]),
]


def cohort_groups(cohort: int) -> dict[str, str]:
    """A term fact's four retention groups from its `cohort` number."""
    out = {}
    for name, values in reversed(COHORTS):
        cohort, position = divmod(cohort, len(values))
        out[name] = values[position]
    return out


def _cohort_sql() -> tuple[str, list[str]]:
    """The `cohort` of the term facts selected (as `f_<group>`): simple CASEs over the groups already computed,
    so the per-term subqueries behind them do not run again."""
    sql, params = "0", []
    for name, values in COHORTS:
        whens = " ".join(f"WHEN %s THEN {position}" for position in range(len(values)))
        sql = f"({sql}) * {len(values)} + (CASE {connection.ops.quote_name(f'f_{name}')} {whens} END)"
        params.extend(values)
    return sql, params


def cents(amount: Any) -> Cast:
    """An amount of yuan (two decimals) as whole cents."""
    return Cast(Round(amount * Value(100)), output_field=BigIntegerField())


def _recovery_time() -> CaseWhen:
    whens = [
        When(f_closure="recovered", f_recover_s__lte=limit * DAY, then=Value(key))
        for key, limit in RECOVERY_TIMES
        if limit
    ]
    whens.append(When(f_closure="recovered", then=Value(RECOVERY_TIMES[-1][0])))
    return CaseWhen(*whens, default=Value(""), output_field=CharField())


def _recovery_outcome() -> CaseWhen:
    return CaseWhen(
        When(f_closure="recovered", then=Value("recovered")),
        When(f_closure="unreachable", then=Value("unreachable")),
        When(f_closure="", then=Value("not_recovered")),  # a case still open, or reopened after a failed follow-up
        default=Value(""),
        output_field=CharField(),
    )


def _experience() -> CaseWhen:
    # A complaint is the customer's own report of a failure: a customer who complained had one, recorded as a
    # `Failure` row or not.
    return CaseWhen(
        When(f_complained=True, then=Value("complained")),
        When(f_failed=True, then=Value("failure_no_complaint")),
        default=Value("no_recorded_failure"),
        output_field=CharField(),
    )


def _terms(where: Q) -> QuerySet[Any]:
    last_case = Case.objects.filter(**_in_term("opened_at")).order_by("-opened_at", "-id")
    given = (
        LedgerEntry.objects.filter(
            outcome__in=SPENDING,
            request__customer_id=OuterRef("customer_id"),
            at__date__gte=OuterRef("start_date"),
            at__date__lte=OuterRef("end_date"),
        )
        .values("request__customer_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    renewed = Exists(Policy.objects.filter(renewal_of_id=OuterRef("pk"))) | _reported("policy.renewed")
    return (
        Policy.objects.filter(where)
        .annotate(
            f_policy_id=F("pk"),
            f_customer_id=F("customer_id"),
            f_end_date=F("end_date"),
            f_unit_id=F("org_unit_id"),
            f_line=F("line"),
            f_segment=F("customer__segment"),
            f_premium_cents=cents(F("premium")),
            f_renewed=renewed,
            f_decided=ExpressionWrapper(
                renewed | Q(status=PolicyStatus.LAPSED) | _reported("policy.lapsed"), output_field=BooleanField()
            ),
            f_failed=Exists(Failure.objects.filter(**_in_term("occurred_at"))),
            f_complained=Exists(Complaint.objects.filter(**_in_term("received_at"))),
            f_closure=Subquery(last_case.values("closure")[:1]),
            f_timing=Coalesce(Subquery(last_case.values("timing")[:1]), Value(""), output_field=CharField()),
            f_recover_s=Subquery(last_case.annotate(s=Seconds(F("closed_at"), F("opened_at"))).values("s")[:1]),
            f_given_cents=cents(
                Coalesce(Subquery(given, output_field=DecimalField()), Value(Decimal("0")), output_field=DecimalField())
            ),
        )
        .annotate(f_recovery_time=_recovery_time(), f_recovery_outcome=_recovery_outcome(), f_experience=_experience())
    )


def _derived(fact: type[Model]) -> dict[str, tuple[str, list[Any]]]:
    """The columns of a fact computed in SQL from its other selected columns (`f_<column>`), with their params."""
    return {"cohort": _cohort_sql()} if fact is TermFact else {}


def _insert(fact: type[Model], rows: QuerySet[Any]) -> None:
    """INSERT INTO <fact> SELECT <rows>: the queryset's `f_<column>` annotations, in the fact's column order
    (the `_derived` ones over the selected rows)."""
    derived = _derived(fact)
    columns = [f.column for f in fact._meta.concrete_fields]
    query = rows.order_by().values(*[f"f_{c}" for c in columns if c not in derived]).query
    try:
        sql, params = query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # nothing of this kind was noted
        return
    if derived:
        outer: list[str] = []
        outer_params: list[Any] = []
        for c in columns:
            expression, expression_params = derived.get(c, (connection.ops.quote_name(f"f_{c}"), []))
            outer.append(expression)
            outer_params.extend(expression_params)
        sql, params = f"SELECT {', '.join(outer)} FROM ({sql}) AS selected", (*outer_params, *params)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {fact._meta.db_table} ({quoted}) {sql}", params)


def _lock() -> None:
    """One writer of facts at a time (two reports starting together would both recompute the same rows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('amends.insights.facts'))")


@transaction.atomic
def rebuild() -> None:
    """Every fact from the source tables (after a bulk load that bypassed the triggers, or to repair)."""
    _lock()
    for fact in (ComplaintFact, CaseFact, FailureFact, FollowUpFact, TermFact, Stale):
        fact._default_manager.all().delete()
    forget()
    _insert(ComplaintFact, _complaints(Q()))
    _insert(CaseFact, _cases(Q()))
    _insert(FailureFact, _failures(Q()))
    _insert(FollowUpFact, _follow_ups(Q()))
    _insert(TermFact, _terms(Q()))


def checked() -> None:
    """Note that the facts are current as of now (the worker's run; what `freshness` reports)."""
    Freshness.objects.update_or_create(pk=1, defaults={"checked_at": clock.now()})


def freshness() -> datetime | None:
    """As of when the figures a report reads are current: the worker's last run as the database the report
    reads has it (on a replica, the run it has replayed; its facts are that run's). None: never checked."""
    return Freshness.objects.values_list("checked_at", flat=True).first()


@transaction.atomic
def bring_up_to_date() -> int:
    """Recompute the facts of the source rows noted as changed; answers how many notes it handled."""
    if not Stale.objects.exists():
        return 0
    _lock()
    notes = list(Stale.objects.values_list("pk", "kind", "ref"))
    if not notes:  # another run took them while this one waited
        return 0
    refs: dict[str, set[int]] = defaultdict(set)
    for _pk, kind, ref in notes:
        refs[kind].add(ref)
    if ALL in refs:  # after the migration that made the facts, or a bulk load that bypassed the triggers
        rebuild()
        return len(notes)
    for start in range(0, len(notes), 50_000):
        Stale.objects.filter(pk__any=[pk for pk, _kind, _ref in notes[start : start + 50_000]]).delete()
    if POLICIES in refs or CUSTOMER in refs:  # a segment change moves policy holders between segments too
        forget()
    recompute(
        complaints=refs[COMPLAINT],
        cases=refs[CASE],
        failures=refs[FAILURE],
        customers_failures=refs[CUSTOMER_FAILURES],
        customers=refs[CUSTOMER],
        terms=refs[TERM],
        customers_terms=refs[CUSTOMER_TERMS],
    )
    return len(notes)


def recompute(
    *,
    complaints: Collection[int] = (),
    cases: Collection[int] = (),
    failures: Collection[int] = (),
    customers_failures: Collection[int] = (),
    customers: Collection[int] = (),
    terms: Collection[int] = (),
    customers_terms: Collection[int] = (),
) -> None:
    """Delete and write again the facts these rows reach: a complaint its own; a case its complaints, itself,
    its failures and follow-ups; a failure its own; a customer's failures (whether each repeats another) or,
    for `customers` (a segment changed), everything of the customer."""

    def any_of(field: str, values: Collection[int]) -> Q:
        return Q(**{f"{field}__any": list(values)}) if values else Q(pk__in=[])

    by_customer = any_of("customer_id", set(customers))
    # A complaint and a failure each decide whether the other repeats it: a changed complaint reaches its
    # customer's failures, a customer's changed failures reach their complaints.
    if complaints:  # the customer as the complaint has it now, and as its fact had it (a deleted complaint)
        ids = list(complaints)
        customers_failures = (
            set(customers_failures)
            | set(Complaint.objects.filter(pk__any=ids).values_list("customer_id", flat=True))
            | set(ComplaintFact.objects.filter(complaint_id__any=ids).values_list("customer_id", flat=True))
        )
    of_customers_failures = any_of("customer_id", set(customers) | set(customers_failures))
    plan: list[tuple[type[Model], Q, Q, Any]] = [
        # fact, which facts go (by the fact's columns), which rows are written again (by the source's), source
        (
            ComplaintFact,
            any_of("complaint_id", complaints) | any_of("case_id", cases) | of_customers_failures,
            any_of("pk", complaints) | any_of("case_id", cases) | of_customers_failures,
            _complaints,
        ),
        (CaseFact, any_of("case_id", cases) | by_customer, any_of("pk", cases) | by_customer, _cases),
        (
            FailureFact,
            any_of("failure_id", failures) | any_of("case_id", cases) | of_customers_failures,
            any_of("pk", failures) | any_of("case_id", cases) | of_customers_failures,
            _failures,
        ),
        (
            FollowUpFact,
            any_of("case_id", cases) | by_customer,
            any_of("case_id", cases) | any_of("case__customer_id", set(customers)),
            _follow_ups,
        ),
    ]
    of_customers_terms = any_of("customer_id", set(customers) | set(customers_terms))
    plan.append(
        (
            TermFact,
            any_of("policy_id", terms) | of_customers_terms,
            any_of("pk", terms) | of_customers_terms,
            _terms,
        )
    )
    for fact, gone, again, source in plan:
        fact._default_manager.filter(gone).delete()
        _insert(fact, source(again))


GENERATION = "generation"


def _generation() -> int:
    row = Memo.objects.filter(key=GENERATION).values_list("value", flat=True).first()
    return int(row["n"]) if row else 0


def forget() -> None:
    """Drop every remembered figure and start a new generation (a figure being computed now, from rows
    read before the change, is stored under the old one and never read)."""
    generation = _generation()
    Memo.objects.all().delete()
    Memo.objects.create(key=GENERATION, value={"n": generation + 1})


def memo(key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The figure remembered under `key` in this generation, computed and remembered when there is none."""
    full = f"{_generation()}:{key}"
    found = Memo.objects.filter(key=full).values_list("value", flat=True).first()
    if found is not None:
        return found
    value = compute()
    try:
        with transaction.atomic():
            Memo.objects.create(key=full, value=value)
    except IntegrityError:  # another request remembered it meanwhile
        pass
    return value
