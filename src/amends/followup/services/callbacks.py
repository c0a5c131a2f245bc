"""Callbacks (主动回访): the daily sample of customers who passed a touchpoint without complaining, and the
calls staff make, to them and to customers who did not answer their follow-up survey.

A reached customer answers the survey's questions. On a sampled call a dissatisfied answer is a failure
noticed by callback, which opens (or joins) a case; on a follow-up call it acts on the case like a survey
answer. Every attempt is kept; after the configured attempts the customer is recorded as unreachable, and a
follow-up call counts each failed attempt on the case (which closes after recovery's own limit).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from amends.accounts.access import WORKS_CASES, in_scope, require
from amends.accounts.models import User
from amends.core import audit, batch, clock, texts
from amends.core.errors import InvalidInput, NotFound, RuleViolation
from amends.core.versioned import check_version, save_versioned
from amends.customers.models import Customer
from amends.recovery import services as recovery
from amends.recovery.models import CaseStatus, FailureSource, FollowUpOutcome, Step
from amends.recovery.rules import Episode
from amends.warning import services as warning
from amends.warning.models import Severity

from .. import rules
from ..models import AttemptOutcome, Callback, CallbackAttempt, CallbackReason, CallbackStatus
from ..passages import passages
from .common import answer_messages
from .outcome import apply_to_case, summary
from .surveys import ANSWER_FIELDS

AUDIT_FIELDS = ["status", "attempts", "completed_at", "version"]
CLAIM_FIELDS = ["claimed_by", "claimed_at", "version"]


@transaction.atomic
def callbacks_sample(
    *, now: datetime | None = None, seed: str | None = None, rates: Mapping[str, float] | None = None
) -> list[Callback]:
    """Create today's sampled callbacks; running it again the same day adds nothing (one per passage).
    `seed` and `rates` default to the settings."""
    now = now or clock.now()
    day = timezone.localdate(now).isoformat()
    since = now - timedelta(days=settings.AMENDS_CALLBACK_LOOKBACK_DAYS)
    picked = rules.sample(
        passages(since=since, until=now),
        rates=rates if rates is not None else settings.AMENDS_CALLBACK_RATES,
        seed=seed if seed is not None else settings.AMENDS_CALLBACK_SEED,
        day=day,
        cap=settings.AMENDS_CALLBACK_MAX_PER_DAY,
    )
    known = set(
        Callback.objects.filter(reason=CallbackReason.SAMPLE, source_ref__in=[p.ref for p in picked]).values_list(
            "source_ref", flat=True
        )
    )
    fresh = [p for p in picked if p.ref not in known]
    units = dict(Customer.objects.filter(pk__in=[p.customer_id for p in fresh]).values_list("pk", "org_unit_id"))
    from amends.journeys.queries import touchpoint_by_code

    rows = []
    for p in fresh:
        tp = touchpoint_by_code(p.touchpoint)
        rows.append(
            Callback(
                customer_id=p.customer_id,
                org_unit_id=units[p.customer_id],
                reason=CallbackReason.SAMPLE,
                touchpoint=tp,
                source_ref=p.ref,
                passed_at=p.at,
                created_at=now,
            )
        )
    created = Callback.objects.bulk_create(rows, batch_size=500)
    if created and created[0].pk is None:
        created = list(
            Callback.objects.filter(reason=CallbackReason.SAMPLE, source_ref__in=[r.source_ref for r in rows])
        )
    with batch.collect():
        for c in created:
            audit.record(
                audit.entry(actor=None, action="callback.create", obj=c, after={"reason": c.reason, "day": day})
            )
    return created


def access_callback(actor: User, callback_id: int, *, for_update: bool = False) -> Callback:
    qs = Callback.objects.select_related("customer", "touchpoint", "case", "survey")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    callback = qs.filter(pk=callback_id).first()
    if callback is None or not in_scope(actor, callback.org_unit_id):
        raise NotFound(_("No such callback."))
    return callback


@transaction.atomic
def callback_claim(*, actor: User, callback_id: int) -> Callback:
    """The actor will make this call. The row lock makes two claims at once queue: the second is told who
    has it, and the customer is called once."""
    require(actor, WORKS_CASES)
    callback = access_callback(actor, callback_id, for_update=True)
    if callback.status != CallbackStatus.OPEN:
        raise RuleViolation(_("This callback is already finished."), code="callback_finished")
    _refuse_if_claimed_by_another(actor, callback)
    if callback.claimed_by_id == actor.pk:
        return callback
    before = audit.snapshot(callback, CLAIM_FIELDS)
    callback.claimed_by, callback.claimed_at = actor, clock.now()
    save_versioned(
        callback,
        before=before,
        actor=actor,
        action="callback.claim",
        fields=["claimed_by", "claimed_at"],
        tracked=CLAIM_FIELDS,
    )
    return callback


def _refuse_if_claimed_by_another(actor: User, callback: Callback) -> None:
    if callback.claimed_by_id not in (None, actor.pk):
        raise RuleViolation(
            _("%(name)s is already calling this customer.") % {"name": callback.claimed_by},
            code="callback_claimed",
        )


@transaction.atomic
def callback_record(
    *,
    actor: User,
    callback_id: int,
    outcome: str,
    answer: dict[str, Any] | None = None,
    note: str = "",
    version: int | None = None,
) -> Callback:
    """Record one call attempt; `answer` (the survey's questions) when the customer was reached."""
    require(actor, WORKS_CASES)
    callback = access_callback(actor, callback_id, for_update=True)
    check_version(
        callback, version, detail=_("Someone else recorded a call on this callback. Reload it and try again.")
    )
    if callback.status != CallbackStatus.OPEN:
        raise RuleViolation(_("This callback is already finished."), code="callback_finished")
    _refuse_if_claimed_by_another(actor, callback)
    if outcome not in AttemptOutcome.values:
        raise InvalidInput(_("Say how the call went."), fields={"outcome": [_("Choose an outcome.")]})
    answer = answer or {}
    if outcome == AttemptOutcome.REACHED:
        codes = rules.answer_errors(answer)
        if codes:
            raise InvalidInput(
                _("The answer was not recorded: please correct the marked questions."), fields=answer_messages(codes)
            )
    now = clock.now()
    before = audit.snapshot(callback, AUDIT_FIELDS)
    CallbackAttempt.objects.create(callback=callback, at=now, actor=actor, outcome=outcome, note=note.strip())
    callback.attempts += 1
    changed = ["attempts"]
    follows_case = callback.case_id is not None and callback.reason != CallbackReason.SAMPLE
    if outcome == AttemptOutcome.REACHED:
        for name in ANSWER_FIELDS:
            value = answer.get(name)
            setattr(callback, name, (value or "").strip() if name == "comment" else value)
        callback.answered_at = now
        changed += [*ANSWER_FIELDS, "answered_at"]
        _finish(callback, CallbackStatus.DONE, actor, now, changed)
        if follows_case:
            assert callback.case is not None
            round_ = callback.survey.round if callback.survey else callback.case.round
            callback.failure = apply_to_case(
                actor=actor,
                case_id=callback.case.pk,
                round=round_,
                answer=answer,
                source=FailureSource.CALLBACK,
                source_ref=f"callback:{callback.pk}",
                heard=gettext_lazy("Follow-up call"),
            )
        elif not rules.recovered(answer):
            callback.failure = _dissatisfied(actor, callback, answer, now)
        changed.append("failure")
    elif outcome == AttemptOutcome.DECLINED:
        _finish(callback, CallbackStatus.DONE, actor, now, changed)
    else:
        if follows_case:
            _unreachable_on_case(actor, callback, note)
        if outcome == AttemptOutcome.WRONG_NUMBER or callback.attempts >= settings.AMENDS_CALLBACK_MAX_ATTEMPTS:
            _finish(callback, CallbackStatus.UNREACHABLE, actor, now, changed)
    save_versioned(
        callback, before=before, actor=actor, action=f"callback.{outcome}", fields=changed, tracked=AUDIT_FIELDS
    )
    return callback


def _finish(callback: Callback, status: str, actor: User, now: datetime, changed: list[str]) -> None:
    callback.status, callback.completed_at, callback.completed_by = status, now, actor
    changed += ["status", "completed_at", "completed_by"]


def _dissatisfied(actor: User, callback: Callback, answer: dict[str, Any], now: datetime) -> Any:
    """A customer who never complained says it went wrong: a failure noticed by callback, with its case."""
    tp = callback.touchpoint
    failure = recovery.failure_record(
        actor=actor,
        customer=callback.customer,
        touchpoint=tp,
        episode=Episode.of(journey=tp.journey.code if tp else None),
        source=FailureSource.CALLBACK,
        source_ref=f"callback:{callback.pk}",
        description=f"{_('Callback')}: {summary(answer)}",
        at=now,
        dimension=rules.weakest_dimension(answer),
    )
    if failure is not None:
        warning.alert_raise(
            rule="callback_dissatisfied",
            subject_type="callback",
            subject_id=callback.pk,
            title=texts.Message(
                gettext_noop("A customer called back is dissatisfied: %(name)s"), name=callback.customer.name
            ),
            org_unit_id=failure.case.org_unit_id,
            owner=failure.case.owner,
            severity=Severity.WARNING,
            customer_id=callback.customer_id,
            case_id=failure.case_id,
        )
    return failure


def _unreachable_on_case(actor: User, callback: Callback, note: str) -> None:
    case = callback.case
    assert case is not None
    if case.status != CaseStatus.FOLLOW_UP:
        return
    try:
        recovery.step_record(
            actor=actor,
            case_id=case.pk,
            step=Step.FOLLOW_UP,
            note=note.strip() or texts.Message(gettext_noop("Follow-up call: not reached.")),
            outcome=FollowUpOutcome.UNREACHABLE,
        )
    except RuleViolation as exc:
        if exc.code != "complaint_undecided":
            raise
