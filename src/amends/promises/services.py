"""Making and settling promises.

`promise_make` records what a customer was told and by when; `promise_settle` records the outcome: kept (when
it was really done), broken, or renegotiated to a new due time with the customer's consent. Every write is
one transaction with its revision, its audit entry and, when the promise belongs to a case, a timeline
entry on that case. `promises_break_overdue` is what the worker runs on a schedule (`promises.tasks`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amends.accounts.access import WORKS_CASES, in_scope, require
from amends.accounts.models import User
from amends.core import audit, clock, texts
from amends.core.errors import InvalidInput, NotFound, RuleViolation
from amends.core.versioned import check_version, save_versioned
from amends.customers.access import access_customer
from amends.customers.models import Policy
from amends.intake.models import Channel
from amends.journeys.queries import touchpoint_by_code
from amends.recovery import services as recovery
from amends.recovery.models import Case, Cause, Dimension, FailureSource, TimelineKind
from amends.recovery.rules import Episode
from amends.warning import services as warning

from .access import access_promise
from .models import Promise, PromiseRevision, PromiseStatus, RevisionKind

AUDIT_FIELDS = ["status", "due_at", "renegotiations", "settled_at", "fulfilled_at", "version"]
REQUIRED = _("This field is required.")


@transaction.atomic
def promise_make(
    *,
    actor: User,
    customer_id: int,
    text: str,
    due_at: datetime | None,
    channel: str,
    touchpoint: str = "",
    case_id: int | None = None,
    policy_no: str = "",
    claim_no: str = "",
) -> Promise:
    require(actor, WORKS_CASES)
    now = clock.now()
    errors: dict[str, list[str]] = {}
    try:
        customer = access_customer(actor, customer_id)
    except NotFound:
        errors["customer.id"] = [_("No customer with this id in your organisation.")]
        customer = None
    if not text.strip():
        errors["text"] = [REQUIRED]
    if due_at is None:
        errors["due_at"] = [REQUIRED]
    elif due_at.tzinfo is None:
        errors["due_at"] = [_("Give the time with its UTC offset, e.g. 2026-11-01T09:30:00+08:00.")]
    elif due_at <= now:
        errors["due_at"] = [_("A promise is due in the future.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel “%(value)s”.") % {"value": channel}]
    tp = touchpoint_by_code(touchpoint.strip()) if touchpoint.strip() else None
    if touchpoint.strip() and tp is None:
        errors["touchpoint"] = [_("Unknown touchpoint “%(value)s”.") % {"value": touchpoint}]
    case = None
    if case_id is not None:
        case = Case.objects.filter(pk=case_id).first()
        if case is None or not in_scope(actor, case.org_unit_id) or (customer and case.customer_id != customer.pk):
            errors["case"] = [_("No such case for this customer.")]
    policy = None
    if policy_no.strip():
        policy = Policy.objects.filter(policy_no=policy_no.strip()).first()
        if policy is None or (customer and policy.customer_id != customer.pk):
            errors["policy_no"] = [_("No policy with this number for this customer.")]
    if errors:
        raise InvalidInput(_("The promise was not recorded: please correct the marked fields."), fields=errors)
    assert customer is not None and due_at is not None
    promise = Promise.objects.create(
        customer=customer,
        case=case,
        policy=policy,
        claim_no=claim_no.strip(),
        touchpoint=tp,
        org_unit_id=actor.org_unit_id or customer.org_unit_id,
        text=text.strip(),
        channel=channel,
        made_by=actor,
        made_at=now,
        first_due_at=due_at,
        due_at=due_at,
    )
    PromiseRevision.objects.create(promise=promise, kind=RevisionKind.MADE, at=now, actor=actor, due_at=due_at)
    audit.record(
        audit.entry(actor=actor, action="promise.make", obj=promise, after=audit.snapshot(promise, AUDIT_FIELDS))
    )
    if case is not None:
        recovery.timeline_add(
            case,
            TimelineKind.PROMISE,
            actor=actor,
            text=promise.text,
            data={"promise": promise.pk, "event": "made", "due_at": due_at.isoformat()},
            at=now,
        )
    return promise


@transaction.atomic
def promise_settle(
    *,
    actor: User,
    promise_id: int,
    outcome: str,
    note: str = "",
    new_due_at: datetime | None = None,
    customer_consent: bool = False,
    fulfilled_at: datetime | None = None,
    version: int | None = None,
) -> Promise:
    """Kept (done by its due time), broken, or renegotiated with the customer's consent (a revision, not an edit)."""
    require(actor, WORKS_CASES)
    promise = access_promise(actor, promise_id, for_update=True)
    now = clock.now()
    before = audit.snapshot(promise, AUDIT_FIELDS)
    check_version(promise, version, detail=_("Someone else changed this promise. Reload it and try again."))
    if promise.status != PromiseStatus.OPEN:
        raise RuleViolation(_("This promise is already settled."), code="promise_settled")
    changed = ["status", "settled_at"]
    if outcome == RevisionKind.KEPT:
        done = fulfilled_at or now
        if done > now or done < promise.made_at:
            raise InvalidInput(
                _("It was done between the promise and now."), fields={"fulfilled_at": [_("Out of range.")]}
            )
        if done > promise.due_at:
            raise RuleViolation(
                _("Done after the due time: the promise was broken. Record it as broken, with when it was done."),
                code="promise_late",
                fields={"outcome": [_("Done late.")]},
            )
        promise.status, promise.settled_at, promise.fulfilled_at = PromiseStatus.KEPT, now, done
        changed.append("fulfilled_at")
    elif outcome == RevisionKind.BROKEN:
        if fulfilled_at is not None and (fulfilled_at > now or fulfilled_at < promise.made_at):
            raise InvalidInput(
                _("It was done between the promise and now."), fields={"fulfilled_at": [_("Out of range.")]}
            )
        promise.status, promise.settled_at, promise.fulfilled_at = PromiseStatus.BROKEN, now, fulfilled_at
        changed.append("fulfilled_at")
    elif outcome == RevisionKind.RENEGOTIATED:
        errors: dict[str, list[str]] = {}
        if not customer_consent:
            errors["customer_consent"] = [_("A new due time needs the customer's consent.")]
        if new_due_at is None:
            errors["new_due_at"] = [REQUIRED]
        elif new_due_at <= now:
            errors["new_due_at"] = [_("A promise is due in the future.")]
        if errors:
            raise InvalidInput(_("The promise was not renegotiated: please correct the marked fields."), fields=errors)
        assert new_due_at is not None
        promise.due_at, promise.renegotiations = new_due_at, promise.renegotiations + 1
        changed = ["due_at", "renegotiations"]
    else:
        raise InvalidInput(_("Choose kept, broken or renegotiated."), fields={"outcome": [_("Unknown outcome.")]})
    note = note.strip()
    _record_outcome(
        promise,
        before,
        actor=actor,
        outcome=outcome,
        note=note,
        fields=changed,
        now=now,
        consent=customer_consent and outcome == RevisionKind.RENEGOTIATED,
        timeline_text=note or promise.text,
    )
    return promise


def _record_outcome(
    promise: Promise,
    before: dict,
    *,
    actor: User | None,
    outcome: str,
    note: str,
    fields: list[str],
    now: datetime,
    timeline_text: str,
    consent: bool = False,
    automatic: bool = False,
) -> None:
    """What every settlement writes: the row (one version more) with its audit entry, its revision, the end of
    any "due soon" alert (the sweep re-raises one if a moved promise is due soon again), and the case timeline."""
    save_versioned(
        promise, before=before, actor=actor, action=f"promise.{outcome}", fields=fields, tracked=AUDIT_FIELDS
    )
    PromiseRevision.objects.create(
        promise=promise,
        kind=outcome,
        at=now,
        actor=actor,
        due_at=promise.due_at,
        customer_consent=consent,
        note=note,
    )
    warning.alerts_resolve_for(subject_type="promise", subject_id=promise.pk, resolution=outcome)
    if promise.case is not None:
        data: dict[str, Any] = {"promise": promise.pk, "event": outcome, "due_at": promise.due_at.isoformat()}
        if automatic:
            data["automatic"] = True
        recovery.timeline_add(promise.case, TimelineKind.PROMISE, actor=actor, text=timeline_text, data=data, at=now)


def promises_break_overdue(*, now: datetime, limit: int = 500) -> int:
    """Settle every open promise past its due time as broken: a failure of reliability (信度, gap 3) that opens
    or joins the customer's recovery case, with the broken promise on its timeline.

    Run by the worker on a schedule (`promises.tasks`). Each promise is its own transaction, so one bad row
    cannot hold back the rest, and a promise settled by staff meanwhile is left alone. Returns how many
    promises were broken; a backlog larger than `limit` is taken on the next run.
    """
    overdue = Promise.objects.filter(status=PromiseStatus.OPEN, due_at__lt=now).order_by("due_at", "id")
    broken = 0
    for pk in list(overdue.values_list("pk", flat=True)[:limit]):
        broken += _break_overdue(pk, now)
    return broken


@transaction.atomic
def _break_overdue(pk: int, now: datetime) -> int:
    promise = (
        Promise.objects.select_for_update(of=("self",))
        .select_related("customer__org_unit", "touchpoint__journey", "case")
        .filter(pk=pk, status=PromiseStatus.OPEN, due_at__lt=now)
        .first()
    )
    if promise is None:
        return 0
    before = audit.snapshot(promise, AUDIT_FIELDS)
    promise.status, promise.settled_at = PromiseStatus.BROKEN, now
    if promise.case is not None and promise.case.is_open:
        episode = Episode.from_key(promise.case.episode_key)
    else:
        journey = promise.touchpoint.journey.code if promise.touchpoint else None
        episode = Episode.of(
            claim_no=promise.claim_no, policy_no=promise.policy.policy_no if promise.policy else "", journey=journey
        )
    failure = recovery.failure_record(
        actor=None,
        customer=promise.customer,
        touchpoint=promise.touchpoint,
        episode=episode,
        source=FailureSource.PROMISE,
        source_ref=f"promise:{promise.pk}",
        dimension=Dimension.RELIABILITY,
        gap=3,
        cause=Cause.COMPANY,
        at=now,
        description=_("Promise not kept: “%(text)s”, due %(due)s.")
        % {"text": promise.text, "due": timezone.localtime(promise.due_at).strftime("%Y-%m-%d %H:%M")},
    )
    fields = ["status", "settled_at"]
    if failure is not None and promise.case_id != failure.case_id:
        promise.case = failure.case
        fields.append("case")
    _record_outcome(
        promise,
        before,
        actor=None,
        outcome=RevisionKind.BROKEN,
        fields=fields,
        now=now,
        timeline_text=promise.text,
        note=_("Not kept by its due time; noticed automatically."),
        automatic=True,
    )
    return 1


DUE_SOON_RULE = "promise_due_soon"


def promises_alert_due_soon(*, now: datetime, lead: timedelta, limit: int = 1000) -> int:
    """Raise a "due soon" alert to whoever made each open promise due within `lead`; one per promise."""
    soon = (
        Promise.objects.filter(status=PromiseStatus.OPEN, due_at__gte=now, due_at__lte=now + lead)
        .select_related("customer")
        .order_by("due_at", "id")[:limit]
    )
    raised = 0
    for promise in soon:
        local_due = timezone.localtime(promise.due_at).strftime("%H:%M")
        _alert, created = warning.alert_raise(
            rule=DUE_SOON_RULE,
            subject_type="promise",
            subject_id=promise.pk,
            owner=promise.made_by,
            org_unit_id=promise.org_unit_id,
            customer_id=promise.customer_id,
            case_id=promise.case_id,
            severity=2,
            title=texts.Message(
                gettext_noop("Promise due at %(time)s to %(customer)s: %(text)s"),
                time=local_due,
                customer=promise.customer.name,
                text=promise.text,
            ),
            detail={"promise": promise.pk, "due_at": promise.due_at.isoformat()},
        )
        raised += created
    return raised
