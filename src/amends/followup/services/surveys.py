"""Follow-up surveys (补救跟踪): sent once per case round after the atonement step and the decision on every
complaint, answered through a signed link, reminded, and handed to a callback when nobody answers.

`surveys_sweep` is what the worker runs on a schedule (`followup.tasks`); `survey_answer` is the customer's
answer from the page or the API, acting as the self-service account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.core import audit, clock
from amends.core.errors import Conflict, InvalidInput, NotFound
from amends.recovery.models import Case, CaseStatus, Closure, FailureSource

from .. import links, rules
from ..models import Callback, CallbackReason, ContactPreference, PortalSubmission, Survey, SurveyStatus
from ..notify import LINK, notice_send
from .common import LinkExpired, answer_messages, self_service_actor
from .outcome import apply_to_case

AUDIT_FIELDS = ["status", "reminders", "recovered", "answered_at"]
ANSWER_FIELDS = ["solved", "satisfaction", *rules.DIMENSIONS, "renew", "recommend", "comment"]
BATCH = 500


@dataclass
class SweepResult:
    sent: int = 0
    reminded: int = 0
    to_callback: int = 0
    withdrawn: int = 0
    no_contact: int = 0
    ids: list[int] = field(default_factory=list)


def surveys_sweep(*, now: datetime | None = None) -> SweepResult:
    """Send the surveys that are due, remind, hand unanswered ones to a callback, withdraw stale ones."""
    now = now or clock.now()
    result = SweepResult()
    waiting = Survey.objects.filter(case=OuterRef("pk"), round=OuterRef("round"))
    open_callback = Callback.objects.filter(case=OuterRef("pk"), status="open")
    due = (
        Case.objects.filter(status=CaseStatus.FOLLOW_UP, due_at__isnull=True)
        .exclude(Exists(waiting))
        .exclude(Exists(open_callback))
        .values_list("pk", flat=True)
        .order_by("pk")[:BATCH]
    )
    for case_id in list(due):
        outcome = survey_send(case_id=case_id, now=now)
        if outcome == "sent":
            result.sent += 1
        elif outcome == "no_contact":
            result.no_contact += 1
    surveys_chase(now=now, result=result)
    # Follow-up done another way (a new round, or closed as unreachable): the survey link must not act on the
    # case any more. A round staff closed as recovered keeps its link: the customer's own verdict is what
    # finds gap 4 (we think it is recovered, they say it is not; `outcome.apply_to_case`).
    same_round = {"pk": OuterRef("case_id"), "round": OuterRef("round")}
    gone = Survey.objects.filter(status=SurveyStatus.SENT).exclude(
        Exists(Case.objects.filter(status=CaseStatus.FOLLOW_UP, **same_round))
        | Exists(Case.objects.filter(status=CaseStatus.CLOSED, closure=Closure.RECOVERED, **same_round))
    )
    result.withdrawn = gone.update(status=SurveyStatus.WITHDRAWN)
    return result


def surveys_chase(*, now: datetime, result: SweepResult | None = None) -> SweepResult:
    """Remind each survey unanswered for the reminder interval; after the last reminder, hand it to a callback."""
    result = result or SweepResult()
    interval = timedelta(hours=settings.AMENDS_SURVEY_REMINDER_HOURS)
    stale = Survey.objects.filter(status=SurveyStatus.SENT, last_sent_at__lte=now - interval).order_by("pk")
    for survey_id in list(stale.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            what = _chase(survey_id, now, interval)
        if what == "remind":
            result.reminded += 1
        elif what == "callback":
            result.to_callback += 1
    return result


def _channel(case: Case) -> str | None:
    customer = case.customer
    portal = (
        PortalSubmission.objects.filter(complaint__case=case)
        .order_by("-created_at")
        .values_list("contact_preference", flat=True)
        .first()
    )
    if portal == ContactPreference.EMAIL and customer.email:
        return ContactPreference.EMAIL
    if portal in (ContactPreference.SMS, ContactPreference.PHONE) and customer.phone:
        return ContactPreference.SMS
    if customer.email:
        return ContactPreference.EMAIL
    if customer.phone:
        return ContactPreference.SMS
    return None


@transaction.atomic
def survey_send(*, case_id: int, now: datetime) -> str:
    """Send the case's survey for its current round: 'sent', 'no_contact' (a callback instead) or 'skipped'."""
    case = Case.objects.select_for_update(of=("self",)).select_related("customer").get(pk=case_id)
    if case.status != CaseStatus.FOLLOW_UP or Survey.objects.filter(case=case, round=case.round).exists():
        return "skipped"
    channel = _channel(case)
    if channel is None:
        callback, created = Callback.objects.get_or_create(
            reason=CallbackReason.NO_CONTACT,
            source_ref=f"case:{case.pk}:{case.round}",
            defaults={
                "customer": case.customer,
                "org_unit_id": case.org_unit_id,
                "case": case,
                "created_at": now,
                "touchpoint_id": case.touchpoint_id,
            },
        )
        if created:
            audit.record(
                audit.entry(actor=None, action="callback.create", obj=callback, after={"reason": "no_contact"})
            )
        return "no_contact"
    survey = Survey.objects.create(
        case=case,
        round=case.round,
        customer=case.customer,
        channel=channel,
        sent_at=now,
        last_sent_at=now,
        expires_at=now + timedelta(days=settings.AMENDS_SURVEY_VALID_DAYS),
    )
    audit.record(audit.entry(actor=None, action="survey.send", obj=survey, after=audit.snapshot(survey, AUDIT_FIELDS)))
    _send(survey, case, purpose="survey")
    return "sent"


def _send(survey: Survey, case: Case, *, purpose: str) -> None:
    from ..queries import customer_reference

    reference = customer_reference(case)
    about = _("About your complaint %(ref)s: ") % {"ref": reference} if reference else ""
    body = about + _(
        "has the problem been put right? Two minutes of your time tell us whether we did. Answer here: %(link)s"
    ) % {"link": LINK}
    notice_send(
        customer=survey.customer,
        channel=survey.channel,
        purpose=purpose,
        subject=_("Is it put right?"),
        body=body,
        link=links.survey_url(survey.pk),
    )


def _chase(survey_id: int, now: datetime, interval: timedelta) -> str | None:
    survey = Survey.objects.select_for_update(of=("self",)).select_related("case").get(pk=survey_id)
    if survey.status != SurveyStatus.SENT:
        return None
    what = rules.survey_next(
        last_sent_at=survey.last_sent_at,
        reminders=survey.reminders,
        now=now,
        max_reminders=settings.AMENDS_SURVEY_REMINDERS,
        interval=interval,
    )
    before = audit.snapshot(survey, AUDIT_FIELDS)
    if what == "remind":
        survey.reminders += 1
        survey.last_sent_at = now
        survey.save(update_fields=["reminders", "last_sent_at"])
        _send(survey, survey.case, purpose="survey_reminder")
    elif what == "callback":
        survey.status = SurveyStatus.NO_ANSWER
        survey.save(update_fields=["status"])
        callback = Callback.objects.create(
            customer_id=survey.customer_id,
            org_unit_id=survey.case.org_unit_id,
            reason=CallbackReason.SURVEY_UNANSWERED,
            source_ref=f"survey:{survey.pk}",
            case=survey.case,
            survey=survey,
            touchpoint_id=survey.case.touchpoint_id,
            created_at=now,
        )
        audit.record(audit.entry(actor=None, action="callback.create", obj=callback, after={"reason": callback.reason}))
    else:
        return None
    audit.record(
        audit.entry(
            actor=None, action=f"survey.{what}", obj=survey, before=before, after=audit.snapshot(survey, AUDIT_FIELDS)
        )
    )
    return what


def survey_for_token(token: str, *, for_update: bool = False) -> Survey:
    """The survey a link names; a forged or unknown link is simply not found, an old one has expired."""
    survey_id = links.survey_id_of(token)
    qs = Survey.objects.select_related("case", "customer")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    survey = qs.filter(pk=survey_id).first() if survey_id is not None else None
    if survey is None:
        raise NotFound(_("This link is not valid. Please check that it was copied whole."))
    if survey.expires_at <= clock.now():
        raise LinkExpired(_("This survey link has expired. We will call you instead."))
    return survey


@transaction.atomic
def survey_answer(*, token: str, answer: dict[str, Any]) -> Survey:
    survey = survey_for_token(token, for_update=True)
    if survey.status != SurveyStatus.SENT:
        raise Conflict(
            _("This follow-up is already complete. Thank you."),
            code="survey_closed",
        )
    codes = rules.answer_errors(answer)
    if codes:
        raise InvalidInput(
            _("Your answer was not sent yet: please correct the marked questions."), fields=answer_messages(codes)
        )
    before = audit.snapshot(survey, AUDIT_FIELDS)
    for name in ANSWER_FIELDS:
        value = answer.get(name)
        setattr(survey, name, (value or "").strip() if name == "comment" else value)
    survey.answered_at = clock.now()
    survey.status = SurveyStatus.ANSWERED
    survey.recovered = rules.recovered(answer)
    survey.save(update_fields=[*ANSWER_FIELDS, "answered_at", "status", "recovered"])
    actor = self_service_actor()
    audit.record(
        audit.entry(
            actor=actor, action="survey.answer", obj=survey, before=before, after=audit.snapshot(survey, AUDIT_FIELDS)
        )
    )
    apply_to_case(
        actor=actor,
        case_id=survey.case_id,
        round=survey.round,
        answer=answer,
        source=FailureSource.SURVEY,
        source_ref=f"survey:{survey.pk}",
        heard=gettext_lazy("Follow-up survey answered by the customer"),
    )
    return survey
