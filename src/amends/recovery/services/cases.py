"""Opening, joining and assigning recovery cases.

A complaint opens a case or joins the customer's open case on the same episode; the case gets its
priority from severity and an owner by the assignment rules, never someone it complains about (回避).
Decisions come from `recovery.rules`; the shared row handling from `.common`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Model, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from amends.accounts.access import ASSIGNS_CASES, OWNS_CASES, require
from amends.accounts.models import Role, User
from amends.accounts.tree import Ancestry
from amends.core import audit
from amends.core.errors import InvalidInput, RuleViolation
from amends.customers.models import Customer
from amends.journeys.models import Touchpoint

from .. import rules
from ..models import (
    IS_OPEN,
    Case,
    CaseStatus,
    Closure,
    TimelineKind,
)
from .common import CASE_AUDIT_FIELDS, check_version, locked_case, save_case, timeline_add


@dataclass(frozen=True)
class RelatedCase:
    """An open case a new complaint is related to though it is not the customer's own episode: the same claim
    or policy under another customer record, or a near-duplicate text (found by apps above recovery)."""

    case_id: int
    reason: str  # same_claim | same_policy | similar_text
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class OpenedCase:
    """What case_open_or_join did. `assigned` is an owner it chose (a new case, or 回避 on a joined one): the
    caller writes what opened or joined the case on the timeline first, then `note_assignment()`."""

    case: Case
    joined: bool
    assigned: User | None = None
    reason: str = "auto"
    why: dict | None = None  # why a complaint joined: {"reason": "same_claim" | …, …}

    def note_assignment(self, at: datetime) -> None:
        if self.assigned is not None:
            data = {"owner": self.assigned.pk, "auto": True, "reason": self.reason}
            timeline_add(self.case, TimelineKind.ASSIGNED, actor=None, data=data, at=at)


def case_open_or_join(
    *,
    actor: User | None,
    customer: Customer,
    touchpoint: Touchpoint | None,
    episode_key: str,
    loss_amount: Decimal | None,
    subject: User | None,
    due_at: datetime | None,
    at: datetime,
    new_customer: bool = False,
    customer_locked: bool = False,
    related: Callable[[], RelatedCase | None] | None = None,
    force_new: bool = False,
) -> OpenedCase:
    """Join the customer's open case on the same episode, or open a new one with priority, owner and deadline.

    Called inside the intake transaction. The customer row is locked first so two complaints of one
    customer arriving together cannot open two cases for the same episode. `due_at` is the new
    complaint's deadline (None for a failure noticed without a complaint: no regulatory clock); the case
    keeps the earliest undecided one. A customer created in this same
    transaction (`new_customer`) is invisible to everyone else and has no cases: nothing to lock or find;
    a caller that already holds the customer's row lock says so (`customer_locked`). Without an open case
    on the customer's own episode, `related` (asked only then) may name another open case to join; `force_new`
    (a complaint split out of its case) always opens one.
    """
    existing = None
    why = None
    recent: list[int] = []  # the customer's cases opened within the repeat window
    if not new_customer and not force_new:
        if not customer_locked:
            Customer.objects.select_for_update().filter(pk=customer.pk).values_list("pk", flat=True).first()
        # One read answers both questions: is there an open case on this episode, and how many failures in
        # the window. The customer lock keeps other intakes out; the case itself is locked only to join it.
        window_start = at - timedelta(days=settings.AMENDS_REPEAT_WINDOW_DAYS)
        rows = (
            Case.objects.filter(customer=customer)
            .filter(Q(IS_OPEN, episode_key=episode_key) | Q(opened_at__gte=window_start, opened_at__lte=at))
            .order_by("opened_at")
            .values_list("pk", "opened_at", "status", "episode_key")
        )
        open_pk = None
        for pk, opened_at, status, key in rows:
            if window_start <= opened_at <= at:
                recent.append(pk)
            if open_pk is None and status != CaseStatus.CLOSED and key == episode_key:
                open_pk = pk
        if open_pk is not None:
            existing = (
                Case.objects.select_for_update(of=("self",))
                .select_related("owner", "org_unit")
                .filter(IS_OPEN, pk=open_pk)
                .first()
            )
            why = {"reason": EPISODE_REASONS.get(episode_key.split(":", 1)[0], "same_episode")}
    if existing is None and related is not None and not force_new:
        found = related()
        if found is not None:
            existing = (
                Case.objects.select_for_update(of=("self",))
                .select_related("owner", "org_unit", "customer")
                .filter(IS_OPEN, pk=found.case_id)
                .first()
            )
            why = {"reason": found.reason, **found.detail}
    if existing is not None:
        if existing.customer_id == customer.pk:
            existing.customer = customer
        before = audit.snapshot(existing, CASE_AUDIT_FIELDS)
        changed = ["priority", "priority_score", "priority_factors"]
        if due_at is not None and (existing.due_at is None or due_at < existing.due_at):
            existing.due_at = due_at
            changed.append("due_at")
        reassigned = None
        if subject is not None:
            existing.subjects.add(subject)
            if existing.owner_id == subject.pk:
                # 回避: the person complained about may not keep the case.
                excluded = set(existing.subjects.values_list("pk", flat=True))
                existing.owner = reassigned = _pick_owner(existing, excluded)
                changed.append("owner")
        _apply_priority(existing, loss_amount=loss_amount, repeats=sum(1 for pk in recent if pk != existing.pk))
        save_case(existing, before, actor=actor, action="case.join", fields=changed)
        return OpenedCase(existing, joined=True, assigned=reassigned, reason="recusal", why=why)

    case = Case(
        customer=customer,
        org_unit=customer.org_unit,
        touchpoint=touchpoint,
        episode_key=episode_key,
        opened_at=at,
        due_at=due_at,
        status=CaseStatus.OPEN,
    )
    _apply_priority(case, loss_amount=loss_amount, repeats=len(recent))
    case.owner = _pick_owner(case, {subject.pk} if subject is not None else set())
    case.save(force_insert=True)
    if subject is not None:
        case.subjects.add(subject)
    audit.record(audit.entry(actor=actor, action="case.open", obj=case, after=audit.snapshot(case, CASE_AUDIT_FIELDS)))
    return OpenedCase(case, joined=False, assigned=case.owner)


# Why a complaint joined the customer's open case on the same episode (see intake.rules.episode_key).
EPISODE_REASONS = {"claim": "same_claim", "policy": "same_policy", "journey": "same_journey"}


def _apply_priority(
    case: Case, *, loss_amount: Decimal | None, repeats: int, escalation_flags: Sequence[str] = ()
) -> None:
    """Priority from severity; `repeats` is the customer's other failures within the repeat window. The
    largest loss and every escalation flag seen on the case so far still count."""
    customer = case.customer
    previous_loss = max(
        (Decimal(f["value"]) for f in case.priority_factors if f["code"] == "loss_amount"), default=None
    )
    loss = max(x for x in (loss_amount, previous_loss, Decimal("0")) if x is not None)
    flags = set(escalation_flags)
    for f in case.priority_factors:
        if f["code"] == "escalation" and f["value"]:
            flags.update(f["value"].split(","))
    answer = rules.priority(
        rules.Severity(
            segment=customer.segment,
            customer_value=customer.value,
            loss_amount=loss or None,
            repeat_failures_90d=repeats,
            touchpoint_criticality=case.touchpoint.criticality if case.touchpoint else None,
            escalation_flags=sorted(flags),
        )
    )
    case.priority, case.priority_score, case.priority_factors = answer.level, answer.score, answer.factors


def case_escalate(*, actor: User | None, case: Case, flags: Sequence[str]) -> bool:
    """Raise the priority for escalation flags found in a complaint on the case; False when it changes nothing.

    For callers inside the transaction that opened or joined the case (intake's receivers), which hold its
    row. The other factors keep the values they were computed with.
    """
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    old = (case.priority, case.priority_score, case.priority_factors)
    _apply_priority(case, loss_amount=None, repeats=_repeats(case), escalation_flags=flags)
    if (case.priority, case.priority_score, case.priority_factors) == old:
        return False
    save_case(
        case, before, actor=actor, action="case.escalate", fields=["priority", "priority_score", "priority_factors"]
    )
    return True


def _repeats(case: Case) -> int:
    return next((int(f["value"]) for f in case.priority_factors if f["code"] == "repeat_failures"), 0)


def case_count_repeat(*, actor: User | None, case: Case) -> None:
    """One more repeat failure on the case (the customer came back): its priority rises accordingly."""
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    _apply_priority(case, loss_amount=None, repeats=_repeats(case) + 1)
    save_case(
        case, before, actor=actor, action="case.repeat", fields=["priority", "priority_score", "priority_factors"]
    )


# What apps above recovery hang on a case (promises, alerts, discretion requests), moved with it when it is merged
# into another, each with the audit action of the move: named by `assembly.wiring`.
ABSORBED: list[tuple[type[Model], str]] = []


def absorb_rows_of(model: type[Model], *, action: str) -> None:
    """Rows of `model` (with a `case` foreign key) follow a merged case to the case it joins."""
    if all(m is not model for m, _a in ABSORBED):
        ABSORBED.append((model, action))


def _rows_move(model: type[Model], *, other: Case, into: Case, actor: User, action: str) -> int:
    """The rows of `model` on `other` now on `into`, each with its audit entry."""
    pks = list(model._default_manager.filter(case=other).values_list("pk", flat=True))
    model._default_manager.filter(pk__in=pks).update(case=into)
    audit.record(
        *(
            audit.entry(
                actor=actor, action=action, obj=model(pk=pk), before={"case": other.pk}, after={"case": into.pk}
            )
            for pk in pks
        )
    )
    return len(pks)


def case_absorb(*, actor: User, into: Case, other: Case, at: datetime) -> None:
    """Close `other` as merged into `into`, whose priority keeps the worse of both (largest loss, every
    escalation flag, most repeats). Both rows are locked by the caller, which moves the complaints and failures;
    the rows of the apps above named in `ABSORBED` follow."""
    flags = [v for f in other.priority_factors if f["code"] == "escalation" for v in f["value"].split(",") if v]
    loss = max((Decimal(f["value"]) for f in other.priority_factors if f["code"] == "loss_amount"), default=None)
    before = audit.snapshot(into, CASE_AUDIT_FIELDS)
    _apply_priority(into, loss_amount=loss, repeats=max(_repeats(into), _repeats(other)), escalation_flags=flags)
    save_case(into, before, actor=actor, action="case.merge", fields=["priority", "priority_score", "priority_factors"])
    timeline_add(into, TimelineKind.MERGED, actor=actor, at=at, data={"from": other.pk, "reference": other.reference})
    before = audit.snapshot(other, CASE_AUDIT_FIELDS)
    other.status, other.closure, other.closed_at, other.due_at = CaseStatus.CLOSED, Closure.MERGED, at, None
    save_case(other, before, actor=actor, action="case.merged", fields=["status", "closure", "closed_at", "due_at"])
    timeline_add(other, TimelineKind.MERGED, actor=actor, at=at, data={"into": into.pk, "reference": into.reference})
    for model, action in ABSORBED:
        _rows_move(model, other=other, into=into, actor=actor, action=action)


def _pick_owner(case: Case, excluded: set[int]) -> User | None:
    """The assignment rule over the handlers up the org tree, each with their open-case count.

    One query: the count is a correlated subquery per handler over the partial index of open cases by
    owner, counting the indexed column so it stays index-only (a few hundred microseconds at 1M cases).
    """
    up = Ancestry.of(case.org_unit)
    open_cases = (
        Case.objects.filter(IS_OPEN, owner_id=OuterRef("pk"))
        .order_by()
        .values("owner_id")
        .annotate(n=Count("owner_id"))
        .values("n")
    )
    handlers = {
        h.pk: h
        for h in up.staff({Role.HANDLER}, exclude=excluded).annotate(open_cases=Coalesce(Subquery(open_cases), 0))
    }
    candidates = [rules.Candidate(h.pk, up.distance(h.org_unit_id), h.open_cases) for h in handlers.values()]
    chosen = rules.choose_owner(candidates, excluded)
    return handlers[chosen] if chosen is not None else None


@transaction.atomic
def case_assign(*, actor: User, case_id: int, owner: User | None, version: int | None = None) -> Case:
    """Give the case to `owner`, or let the assignment rules choose when `owner` is None."""
    require(actor, ASSIGNS_CASES)
    case = locked_case(actor, case_id)
    check_version(case, version)
    subjects = set(case.subjects.values_list("pk", flat=True))
    if owner is None:
        picked = _pick_owner(case, subjects)
        owner_id = picked.pk if picked is not None else None
    else:
        if owner.role not in OWNS_CASES or not owner.is_active:
            raise InvalidInput(
                _("Only an active handler or supervisor can own a case."),
                fields={"owner": [_("Not eligible.")]},
            )
        if owner.pk in subjects:
            raise RuleViolation(
                _("%(name)s is the subject of this complaint and may not handle it (回避).") % {"name": owner},
                code="owner_is_subject",
                fields={"owner": [_("Subject of the complaint.")]},
            )
        owner_id = owner.pk
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.owner_id = owner_id
    save_case(case, before, actor=actor, action="case.assign", fields=["owner"])
    timeline_add(case, TimelineKind.ASSIGNED, actor=actor, data={"owner": owner_id, "auto": owner is None})
    return case


def case_clock_update(*, actor: User, case: Case, due_at: datetime | None) -> None:
    """Store the earliest deadline among the case's undecided complaints (None when all are decided)."""
    if case.due_at == due_at:
        return
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.due_at = due_at
    save_case(case, before, actor=actor, action="case.clock", fields=["due_at"])


@transaction.atomic
def case_priority_raise(*, case_id: int, level: int, reason: str) -> Case | None:
    """The system raises an open case to at least `level` (P1 is the most urgent), e.g. when an early warning
    sees the customer's second failure within the repeat window (double deviation risk). None if closed."""
    case = Case.objects.select_for_update().filter(IS_OPEN, pk=case_id).first()
    if case is None:
        return None
    if case.priority <= level:
        return case
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.priority = level
    case.priority_factors = [*case.priority_factors, {"code": "early_warning", "points": 0, "value": reason}]
    save_case(case, before, actor=None, action="case.priority_raise", fields=["priority", "priority_factors"])
    return case
