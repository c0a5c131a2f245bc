"""Every write on a recovery case: open or join, assign, record a step, follow up, reopen, close.

Each public function is one use case in one transaction, takes the acting user by keyword, locks the
case row it changes, bumps `version` (so a stale editor gets a 409 instead of overwriting), appends to
the case timeline and writes its audit entries before commit. Decisions come from `recovery.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from amends.accounts.access import ASSIGNS_CASES, OWNS_CASES, WORKS_CASES, in_scope, require
from amends.accounts.models import Role, User
from amends.core import audit, batch, clock
from amends.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from amends.customers.models import Customer
from amends.journeys.models import Touchpoint

from . import rules
from .models import (
    IS_OPEN,
    Case,
    CaseStatus,
    CaseStep,
    Closure,
    FollowUpOutcome,
    Step,
    TimelineEntry,
    TimelineKind,
    Timing,
)

CASE_AUDIT_FIELDS = [
    "status",
    "owner",
    "priority",
    "priority_score",
    "round",
    "due_at",
    "timing",
    "closure",
    "version",
]

STEP_MESSAGES = {
    "unknown_step": lambda r: _("Unknown step “%(step)s”.") % {"step": r.step},
    "step_already_recorded": lambda r: (
        _("The step “%(step)s” is already recorded in this round.") % {"step": Step(r.step).label}
    ),
    "step_out_of_order": lambda r: (
        _("Steps go in order: record “%(expected)s” before “%(step)s”.")
        % {"expected": Step(r.expected).label if r.expected else "-", "step": Step(r.step).label}
    ),
    "step_cannot_be_skipped": lambda r: _("The step “%(step)s” can never be skipped.") % {"step": Step(r.step).label},
}


def timeline_add(
    case: Case,
    kind: str,
    *,
    actor: User | None,
    text: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
    entry = TimelineEntry(
        case=case, kind=kind, actor=actor, text=text, data=data or {}, round=case.round, at=at or clock.now()
    )
    batch.add(entry)
    return entry


def _locked(actor: User, case_id: int) -> Case:
    """The case row, locked for this transaction, if the actor's org scope holds it (else it looks absent)."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not in_scope(actor, case.org_unit_id):
        raise NotFound(_("No such case."))
    return case


def _check_version(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise Conflict(
            _("Someone else changed this case (version %(theirs)s, yours %(yours)s). Reload it and try again.")
            % {"theirs": case.version, "yours": version},
            code="stale_version",
            fields={"version": [_("This case has changed since you loaded it.")]},
        )


def _save(case: Case, before: dict, *, actor: User, action: str, fields: list[str]) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version"])
    audit.record(
        audit.entry(actor=actor, action=action, obj=case, before=before, after=audit.snapshot(case, CASE_AUDIT_FIELDS))
    )


@dataclass(frozen=True)
class OpenedCase:
    """What case_open_or_join did. `assigned` is an owner it chose (a new case, or 回避 on a joined one): the
    caller writes what opened or joined the case on the timeline first, then `note_assignment()`."""

    case: Case
    joined: bool
    assigned: User | None = None
    reason: str = "auto"

    def note_assignment(self, at: datetime) -> None:
        if self.assigned is not None:
            data = {"owner": self.assigned.pk, "auto": True, "reason": self.reason}
            timeline_add(self.case, TimelineKind.ASSIGNED, actor=None, data=data, at=at)


def case_open_or_join(
    *,
    actor: User,
    customer: Customer,
    touchpoint: Touchpoint | None,
    episode_key: str,
    loss_amount: Decimal | None,
    subject: User | None,
    due_at: datetime,
    at: datetime,
) -> OpenedCase:
    """Join the customer's open case on the same episode, or open a new one with priority, owner and deadline.

    Called inside the intake transaction. The customer row is locked first so two complaints of one
    customer arriving together cannot open two cases for the same episode. `due_at` is the new
    complaint's deadline; the case keeps the earliest undecided one.
    """
    Customer.objects.select_for_update().filter(pk=customer.pk).values_list("pk", flat=True).first()
    existing = (
        Case.objects.select_for_update(of=("self",))
        .select_related("owner", "org_unit")
        .filter(IS_OPEN, customer=customer, episode_key=episode_key)
        .order_by("opened_at")
        .first()
    )
    if existing is not None:
        existing.customer = customer
        before = audit.snapshot(existing, CASE_AUDIT_FIELDS)
        changed = ["priority", "priority_score", "priority_factors"]
        if existing.due_at is None or due_at < existing.due_at:
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
        _apply_priority(existing, loss_amount=loss_amount, at=at)
        _save(existing, before, actor=actor, action="case.join", fields=changed)
        return OpenedCase(existing, joined=True, assigned=reassigned, reason="recusal")

    case = Case(
        customer=customer,
        org_unit=customer.org_unit,
        touchpoint=touchpoint,
        episode_key=episode_key,
        opened_at=at,
        due_at=due_at,
        status=CaseStatus.OPEN,
    )
    _apply_priority(case, loss_amount=loss_amount, at=at)
    case.owner = _pick_owner(case, {subject.pk} if subject is not None else set())
    case.save(force_insert=True)
    if subject is not None:
        case.subjects.add(subject)
    audit.record(audit.entry(actor=actor, action="case.open", obj=case, after=audit.snapshot(case, CASE_AUDIT_FIELDS)))
    return OpenedCase(case, joined=False, assigned=case.owner)


def _apply_priority(case: Case, *, loss_amount: Decimal | None, at: datetime) -> None:
    customer = case.customer
    window = timedelta(days=settings.AMENDS_REPEAT_WINDOW_DAYS)
    repeats = Case.objects.filter(customer_id=customer.pk, opened_at__gte=at - window, opened_at__lte=at)
    if case.pk:
        repeats = repeats.exclude(pk=case.pk)
    previous_loss = max(
        (Decimal(f["value"]) for f in case.priority_factors if f["code"] == "loss_amount"), default=None
    )
    loss = max(x for x in (loss_amount, previous_loss, Decimal("0")) if x is not None)
    answer = rules.priority(
        rules.Severity(
            segment=customer.segment,
            customer_value=customer.value,
            loss_amount=loss or None,
            repeat_failures_90d=repeats.count(),
            touchpoint_criticality=case.touchpoint.criticality if case.touchpoint else None,
        )
    )
    case.priority, case.priority_score, case.priority_factors = answer.level, answer.score, answer.factors


def _pick_owner(case: Case, excluded: set[int]) -> User | None:
    ancestors = case.org_unit.ancestor_ids()
    distance = {unit_id: i for i, unit_id in enumerate(ancestors)}
    handlers = {
        h.pk: h
        for h in User.objects.filter(role=Role.HANDLER, is_active=True, org_unit_id__in=ancestors).annotate(
            open_cases=Count("owned_cases", filter=~Q(owned_cases__status=CaseStatus.CLOSED))
        )
    }
    candidates = [rules.Candidate(h.pk, distance[h.org_unit_id or 0], h.open_cases) for h in handlers.values()]
    chosen = rules.choose_owner(candidates, excluded)
    return handlers[chosen] if chosen is not None else None


@transaction.atomic
def case_assign(*, actor: User, case_id: int, owner: User | None, version: int | None = None) -> Case:
    """Give the case to `owner`, or let the assignment rules choose when `owner` is None."""
    require(actor, ASSIGNS_CASES)
    case = _locked(actor, case_id)
    _check_version(case, version)
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
    _save(case, before, actor=actor, action="case.assign", fields=["owner"])
    timeline_add(case, TimelineKind.ASSIGNED, actor=actor, data={"owner": owner_id, "auto": owner is None})
    return case


def case_clock_update(*, actor: User, case: Case, due_at: datetime | None) -> None:
    """Store the earliest deadline among the case's undecided complaints (None when all are decided)."""
    if case.due_at == due_at:
        return
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.due_at = due_at
    _save(case, before, actor=actor, action="case.clock", fields=["due_at"])


@transaction.atomic
def step_record(
    *,
    actor: User,
    case_id: int,
    step: str,
    note: str = "",
    skipped_reason: str | None = None,
    outcome: str | None = None,
    timing: str | None = None,
    version: int | None = None,
) -> CaseStep | None:
    """Record one of the five steps in order, or skip it with a reason (apology and follow-up: never).

    A follow-up carries an outcome: `recovered` closes the case; `unreachable` counts an attempt and
    closes after the configured number; `not_recovered` reopens the case in a new round (a second
    failure). Returns the step row, or None for a follow-up attempt that did not conclude the round.
    """
    require(actor, WORKS_CASES)
    case = _locked(actor, case_id)
    _check_version(case, version)
    if not case.is_open:
        raise RuleViolation(_("This case is closed."), code="case_closed")
    skipping = bool(skipped_reason and skipped_reason.strip())
    if skipped_reason is not None and not skipping:
        raise InvalidInput(_("Say why the step is skipped."), fields={"skipped_reason": [_("This field is required.")]})
    if timing is not None and timing not in Timing.values:
        raise InvalidInput(
            _("Unknown timing."), fields={"timing": [_("Choose immediate, in_process or after_process.")]}
        )
    done = list(case.steps.filter(round=case.round).values_list("step", flat=True))
    refusal = rules.check_step(step, done, skipping=skipping)
    if refusal is not None:
        raise RuleViolation(STEP_MESSAGES[refusal.code](refusal), code=refusal.code, fields={"step": [refusal.code]})
    if not skipping and not note.strip():
        raise InvalidInput(_("Write what was said or done."), fields={"note": [_("This field is required.")]})

    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    now = clock.now()
    changed: list[str] = []
    if timing and not case.timing:
        case.timing = timing
        changed.append("timing")
    elif not case.timing:
        case.timing = Timing.AFTER_PROCESS
        changed.append("timing")

    if step == Step.FOLLOW_UP:
        return _follow_up(case, before, actor=actor, note=note, outcome=outcome, now=now, changed=changed)
    if outcome:
        raise InvalidInput(_("Only a follow-up has an outcome."), fields={"outcome": [_("Not allowed for this step.")]})

    row = CaseStep.objects.create(
        case=case,
        round=case.round,
        step=step,
        skipped=skipping,
        skipped_reason=(skipped_reason or "").strip(),
        note=note.strip(),
        actor=actor,
        at=now,
    )
    new_status = CaseStatus.FOLLOW_UP if step == Step.ATONEMENT else CaseStatus.IN_PROGRESS
    if case.status != new_status:
        case.status = new_status
        changed.append("status")
    _save(case, before, actor=actor, action=f"case.step.{step}", fields=changed)
    timeline_add(
        case,
        TimelineKind.STEP_SKIPPED if skipping else TimelineKind.STEP,
        actor=actor,
        text=row.skipped_reason if skipping else row.note,
        data={"step": step},
        at=now,
    )
    return row


def _follow_up(
    case: Case,
    before: dict,
    *,
    actor: User,
    note: str,
    outcome: str | None,
    now: datetime,
    changed: list[str],
) -> CaseStep | None:
    if outcome not in FollowUpOutcome.values:
        raise InvalidInput(
            _("A follow-up needs its outcome: recovered, not_recovered or unreachable."),
            fields={"outcome": [_("Choose recovered, not_recovered or unreachable.")]},
        )
    if case.due_at is not None:
        # The follow-up checks the outcome of a decision; before one is told, the regulatory clock is still
        # running and closing the case (recovered or unreachable) would hide it.
        raise RuleViolation(
            _("Tell the customer the decision on every complaint before following up."),
            code="complaint_undecided",
        )
    timeline_add(
        case,
        TimelineKind.FOLLOW_UP_ATTEMPT,
        actor=actor,
        text=note.strip(),
        data={"outcome": outcome},
        at=now,
    )
    attempts = list(
        TimelineEntry.objects.filter(case=case, round=case.round, kind=TimelineKind.FOLLOW_UP_ATTEMPT).values_list(
            "data__outcome", flat=True
        )
    )
    closure = rules.may_close(attempts, settings.AMENDS_FOLLOW_UP_MAX_ATTEMPTS)
    if outcome == FollowUpOutcome.NOT_RECOVERED:
        case.round += 1
        case.status = CaseStatus.IN_PROGRESS
        _save(case, before, actor=actor, action="case.reopen", fields=[*changed, "round", "status"])
        timeline_add(case, TimelineKind.REOPENED, actor=actor, text=note.strip(), at=now)
        return None
    if closure is None:
        _save(case, before, actor=actor, action="case.follow_up_attempt", fields=changed)
        return None
    row = CaseStep.objects.create(
        case=case,
        round=case.round,
        step=Step.FOLLOW_UP,
        note=note.strip(),
        outcome=outcome,
        actor=actor,
        at=now,
    )
    case.status, case.closed_at = CaseStatus.CLOSED, now
    case.closure = Closure.RECOVERED if closure == "recovered" else Closure.UNREACHABLE
    _save(case, before, actor=actor, action="case.close", fields=[*changed, "status", "closed_at", "closure"])
    timeline_add(
        case,
        TimelineKind.STEP,
        actor=actor,
        text=row.note,
        data={"step": Step.FOLLOW_UP, "outcome": outcome},
        at=now,
    )
    timeline_add(case, TimelineKind.CLOSED, actor=actor, data={"closure": case.closure}, at=now)
    return row


@transaction.atomic
def recovery_on_the_spot(
    *,
    actor: User,
    case_id: int,
    notes: dict[str, str],
    skipped: dict[str, str] | None = None,
    version: int | None = None,
) -> list[CaseStep]:
    """An immediate recovery (进攻型补救) recorded in one form: apology, fix, empathy and atonement, in order,
    inside the service encounter. The follow-up comes later, as always. `version` is the case version the
    form was filled against; the first step checks it, the rest run in the same transaction."""
    skipped = skipped or {}
    rows = []
    for i, step in enumerate(rules.STEPS[:4]):
        seen = version if i == 0 else None
        if step in skipped:
            row = step_record(
                actor=actor,
                case_id=case_id,
                step=step,
                skipped_reason=skipped[step],
                timing=Timing.IMMEDIATE,
                version=seen,
            )
        else:
            row = step_record(
                actor=actor,
                case_id=case_id,
                step=step,
                note=notes.get(step, ""),
                timing=Timing.IMMEDIATE,
                version=seen,
            )
        assert row is not None
        rows.append(row)
    return rows
