"""Reads of follow-up: a complainant's status page (plain words, nothing internal), the EODC panel of the case
page, and the callback list and call page for staff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from amends.accounts.access import scope_filter
from amends.accounts.models import User
from amends.core import batch, clock
from amends.core.errors import NotFound
from amends.correspondence.contacts import Preference, ReadAhead
from amends.correspondence.models import Attachment, Direction, Message, MessageStatus
from amends.intake import rules as intake_rules
from amends.intake import services as intake
from amends.intake.models import Complaint, DecisionLetter, LetterStatus, Review
from amends.promises.models import Promise
from amends.recovery import rules as recovery_rules
from amends.recovery.models import Case, CaseStatus, CaseStep, Step

from . import links
from .models import Callback, CallbackStatus, PortalSubmission, Survey, SurveyStatus
from .services.common import LinkExpired
from .services.portal import acknowledgement_text
from .thanks import thanks_for

# What each recovery step means to the customer, in the customer's words (never the staff member's note).
STEP_WORDS = {
    Step.APOLOGY: gettext_lazy("We apologised to you."),
    Step.FIX: gettext_lazy("We acted to put the problem right."),
    Step.EMPATHY: gettext_lazy("We listened to how it affected you."),
    Step.ATONEMENT: gettext_lazy("We offered a gesture to make amends."),
}


def submission_for_token(token: str) -> PortalSubmission:
    submission = (
        PortalSubmission.objects.select_related("complaint__case").filter(token_digest=links.digest(token)).first()
    )
    if submission is None:
        raise NotFound(_("This link is not valid. Please check that it was copied whole."))
    if submission.expires_at <= clock.now():
        raise LinkExpired(_("This link has expired. Call us and quote your complaint reference."))
    return submission


def portal_status(token: str) -> dict[str, Any]:
    """What the complainant may see: their own words, the deadline, the decision told to them, and which
    steps were taken, in plain words. No staff names, notes, internal codes or other complaints."""
    submission = submission_for_token(token)
    complaint: Complaint = submission.complaint
    case: Case = complaint.case
    steps = set(CaseStep.objects.filter(case=case, round=case.round, skipped=False).values_list("step", flat=True))
    survey = Survey.objects.filter(case=case).order_by("-round").first()
    closed = case.status == CaseStatus.CLOSED
    stages = [
        {
            "done": True,
            "title": pgettext("complainant", "Received"),
            "text": _("Your complaint is registered."),
            "at": complaint.received_at,
        },
        {
            "done": bool(steps) or complaint.decided_at is not None,
            "title": pgettext("complainant", "Being handled"),
            "text": _("A complaint handler is looking into it and will contact you."),
            "at": None,
        },
        {
            "done": complaint.decided_at is not None,
            # A withdrawal ends the procedure without a decision: the stage says so, with the reason given.
            "title": pgettext("complainant", "Withdrawn" if complaint.withdrawn_at else "Decision"),
            "text": complaint.decision if complaint.decided_at else "",
            "at": complaint.decided_at,
        },
        {
            "done": (survey is not None and survey.status == SurveyStatus.ANSWERED) or closed,
            "title": pgettext("complainant", "Follow-up"),
            "text": _("We ask whether the problem is really solved."),
            "at": survey.answered_at if survey else None,
        },
    ]
    return {
        **_procedure(complaint),
        "reference": complaint.reference,
        "received_at": complaint.received_at,
        "due_at": complaint.due_at,
        "extended": complaint.extension_level > 0,
        "decided": complaint.decided_at is not None,
        "description": complaint.description,
        "request": complaint.request,
        "stages": stages,
        "done_steps": [
            str(STEP_WORDS[s]) for s in (Step.APOLOGY, Step.FIX, Step.EMPATHY, Step.ATONEMENT) if s in steps
        ],
        "reopened": case.round > 1 and not closed,
        "closed": closed,
        # The survey link goes only to the contact on file (by message), never onto this page.
        "survey_waiting": survey is not None and survey.status == SurveyStatus.SENT and survey.expires_at > clock.now(),
        "verified": submission.verified_at is not None,
        "expires_at": submission.expires_at,
        "thanks": thanks_for(complaint),
    }


def _procedure(complaint: Complaint) -> dict[str, Any]:
    """What the measure lets the complainant do and see here: withdraw while undecided, the decision letter as
    sent, and a review (核查) asked within the configured days of the decision, with its own date and outcome."""
    withdrawn = complaint.withdrawn_at is not None
    decided = complaint.decided_at is not None and not withdrawn
    letter = DecisionLetter.objects.filter(complaint=complaint, status=LetterStatus.SENT).order_by("-sent_at").first()
    review = Review.objects.filter(complaint=complaint).first()
    review_until = (
        intake_rules.review_request_deadline(timezone.localtime(complaint.decided_at), intake.clock_config())
        if decided and complaint.decided_at
        else None
    )
    return {
        "withdrawn_at": complaint.withdrawn_at,
        "may_withdraw": complaint.decided_at is None,
        "letter": {"body": letter.body, "sent_at": letter.sent_at, "id": letter.pk} if letter else None,
        "review": review,
        "review_until": review_until,
        "may_review": decided and review is None and review_until is not None and clock.now() <= review_until,
    }


def portal_letter(token: str) -> DecisionLetter:
    """The decision letter last sent on the link's own complaint; NotFound while none is."""
    submission = submission_for_token(token)
    letter = (
        DecisionLetter.objects.select_related("complaint")
        .filter(complaint_id=submission.complaint_id, status=LetterStatus.SENT)
        .order_by("-sent_at")
        .first()
    )
    if letter is None:
        raise NotFound(_("No decision letter has been sent on this complaint yet."))
    return letter


def customer_reference(case: Case) -> str:
    """The reference the customer knows: their first complaint's (the case reference is internal)."""
    first = Complaint.objects.filter(case=case).order_by("received_at", "pk").first()
    return first.reference if first else ""


def answer_brief(row: Survey | Callback | None) -> dict[str, Any] | None:
    if row is None or row.answered_at is None:
        return None
    return {
        "solved": row.solved,
        "satisfaction": row.satisfaction,
        "dimensions": {
            d: getattr(row, d) for d in ("reliability", "responsiveness", "competence", "attitude", "standards")
        },
        "renew": row.renew,
        "recommend": row.recommend,
        "comment": row.comment,
        "answered_at": row.answered_at,
    }


def case_eodc(actor: User, case: Case) -> dict[str, Any]:
    """Explore · offer · do · confirm (探索·提议·执行·确认) for the case page and the case API."""
    complaints = list(
        Complaint.objects.filter(case=case).order_by("received_at").values("request", "request_confirmed", "decision")
    )
    promises = list(Promise.objects.filter(case=case).order_by("made_at").values("text", "status", "due_at"))
    order = {step: i for i, step in enumerate(recovery_rules.STEPS)}
    steps = sorted(
        CaseStep.objects.filter(case=case, round=case.round).values("step", "skipped", "at"),
        key=lambda s: order[s["step"]],
    )
    surveys = list(Survey.objects.filter(case=case).order_by("-round"))
    calls = list(Callback.objects.filter(case=case).exclude(answered_at=None).order_by("-answered_at")[:1])
    answered = [s for s in surveys if s.answered_at] + calls
    latest = max(answered, key=lambda r: r.answered_at or clock.now()) if answered else None
    waiting = next((s for s in surveys if s.status == SurveyStatus.SENT), None)
    open_call = Callback.objects.filter(case=case, status=CallbackStatus.OPEN).exists()
    return {
        "explore": [{"request": c["request"], "confirmed": c["request_confirmed"]} for c in complaints],
        "offer": {
            "decisions": [c["decision"] for c in complaints if c["decision"]],
            "promises": promises,
        },
        "do": steps,
        "confirm": {
            "answer": answer_brief(latest),
            "via": "survey" if isinstance(latest, Survey) else "callback" if latest else None,
            "recovered": None if latest is None else latest.solved is True and (latest.satisfaction or 0) > 2,
            "survey_waiting": (
                {"sent_at": waiting.sent_at, "reminders": waiting.reminders, "expires_at": waiting.expires_at}
                if waiting
                else None
            ),
            "callback_open": open_call,
            # A case closed without a survey or a call answer (the handler's own follow-up, unreachable,
            # merged, imported) says how it closed instead of promising a survey that will not come.
            "closed_as": case.closure or None if case.status == CaseStatus.CLOSED else None,
        },
    }


def callbacks_open(actor: User, *, limit: int = 100) -> list[Callback]:
    qs: QuerySet[Callback] = scope_filter(Callback.objects.filter(status=CallbackStatus.OPEN), actor)
    return list(qs.select_related("customer", "touchpoint", "case", "claimed_by").order_by("created_at", "pk")[:limit])


def callbacks_recent(actor: User, *, since: datetime, limit: int = 50) -> list[Callback]:
    qs: QuerySet[Callback] = scope_filter(Callback.objects.exclude(status=CallbackStatus.OPEN), actor)
    return list(
        qs.filter(completed_at__gte=since)
        .select_related("customer", "completed_by", "failure")
        .order_by("-completed_at")[:limit]
    )


def contact_preference(case_id: int) -> Preference | None:
    """How the complainant asked to be contacted on the portal (the latest portal complaint on the case)."""
    found = (
        PortalSubmission.objects.filter(complaint__case_id=case_id)
        .order_by("-created_at")
        .values_list("contact_preference", "language")
        .first()
    )
    return Preference(channel=found[0], language=found[1] or None) if found else None


def contact_preferences_of_customer(customer_id: int) -> QuerySet[Any]:
    """`contact_preference` for each of the customer's open cases at once (newest first), read with a new
    complaint's case read (`correspondence.contacts.ReadAhead`)."""
    return (
        PortalSubmission.objects.filter(complaint__case__customer_id=customer_id)
        .exclude(complaint__case__status=CaseStatus.CLOSED)
        .order_by("-created_at")
        .values("complaint__case_id", "contact_preference", "language")
    )


def contact_preference_picked(rows: list[dict[str, Any]], case_id: int) -> Preference | None:
    for row in rows:
        if row["complaint__case_id"] == case_id:
            return Preference(channel=row["contact_preference"], language=row["language"] or None)
    return None


# Compiled once per process with the customer's id as its one value (`core.batch.KeptWith`): it is read with
# nearly every complaint of an existing customer.
_CONTACT_PREFERENCES = batch.KeptWith(contact_preferences_of_customer, customer_id=int)

CONTACT_PREFERENCE_AHEAD = ReadAhead(
    "followup.contact_preference",
    lambda customer_id: _CONTACT_PREFERENCES.bind(customer_id=customer_id),
    contact_preference_picked,
)


def portal_thread(token: str) -> list[dict[str, Any]]:
    """The complainant's side of the conversation on their status page: what we sent them and what they sent
    us, oldest first, with the names of the files they added. No staff names, no internal notes."""
    submission = submission_for_token(token)
    complaint = submission.complaint
    case_id = complaint.case_id
    rows = list(
        Message.objects.filter(case_id=case_id)
        .exclude(direction=Direction.OUT, status__in=[MessageStatus.QUEUED, MessageStatus.FAILED])
        .order_by("created_at", "id")
    )
    files: dict[int, list[str]] = {}
    for message_id, name in Attachment.objects.filter(message__in=rows).values_list("message_id", "original_name"):
        files.setdefault(message_id, []).append(name)
    # The receipt (sent by the portal itself, not kept as a message on the case), with the due date it told.
    receipt = {
        "mine": False,
        "at": submission.created_at,
        "text": acknowledgement_text(complaint.reference, intake.law_due(complaint.received_at, 0), _("this page")),
        "files": [],
    }
    return [receipt] + [
        {
            "mine": m.direction == Direction.IN,
            "at": m.created_at,
            "text": m.body,
            "files": files.get(m.pk, []),
        }
        for m in rows
    ]


def case_portal(actor: User, case: Case) -> list[dict[str, Any]]:
    """The case's portal complaints still waiting for their complainant's identity to be verified: staff link
    each to the customer's own record once verified (by phone or documents). The customer the details point at
    is never shown: staff find the customer themselves."""
    rows = PortalSubmission.objects.filter(complaint__case=case, verified_at__isnull=True).select_related("complaint")
    return [
        {"complaint": s.complaint_id, "reference": s.complaint.reference, "received_at": s.complaint.received_at}
        for s in rows.order_by("complaint__received_at")
    ]
