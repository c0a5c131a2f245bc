"""The measure's procedures around the clock: a pause for an outside appraisal, a withdrawal, a review (核查)
by the superior institution, and the feedback owed to the regulator on a transferred complaint.

银行业保险业消费投诉处理管理办法 (2020): time spent on an outside appraisal, test or assessment may be left out of
the period, with the complainant told; a withdrawal ends the procedure the day it is received; a complainant
who disputes a decision may ask the superior institution for a review within the configured days, which is
decided within its own period by someone who had no part in the decision (回避). Each is one audited
transaction with its timeline entry and its notice; the rules themselves are in `intake.rules`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amends.accounts.access import APPROVES_EXTENSIONS, SENIOR_MANAGEMENT, WORKS_CASES, in_scope, require
from amends.accounts.models import Role, User
from amends.accounts.tree import Ancestry
from amends.core import audit, calendar, clock, texts
from amends.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from amends.recovery import services as recovery
from amends.recovery.models import TimelineKind

from .. import rules
from ..access import access_complaint
from ..models import Channel, Complaint, Pause, Review, ReviewOutcome, ReviewStatus
from ..notices import local, notice_send
from .clock import COMPLAINT_AUDIT_FIELDS, clock_config, handling_unit, law_due, refresh_case_clock

PROCEDURE_FIELDS = [*COMPLAINT_AUDIT_FIELDS, "paused_at", "paused_days", "withdrawn_at"]


@transaction.atomic
def complaint_pause(*, actor: User, complaint_id: int, reason: str, case_version: int | None = None) -> Pause:
    """Stop the clock while an outside body appraises, tests or assesses; the complainant is told."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    recovery.check_version(complaint.case, case_version)
    refusal = rules.pause_refusal(
        decided=complaint.decided_at is not None, paused=complaint.paused_at is not None, reason=reason
    )
    if refusal == "pause_needs_reason":
        message = _("Say which appraisal, test or assessment the complaint waits for.")
        raise InvalidInput(message, fields={"reason": [message]})
    if refusal:
        raise Conflict(_refusal_text(refusal), code=refusal)
    now = clock.now()
    pause = Pause.objects.create(complaint=complaint, reason=reason.strip(), paused_at=now, paused_by=actor)
    with audit.changing(
        complaint, actor=actor, action="complaint.pause", tracked=PROCEDURE_FIELDS, update_fields=["paused_at"]
    ):
        complaint.paused_at = now
    recovery.timeline_add(
        complaint.case, TimelineKind.PAUSED, actor=actor, text=pause.reason, data={"complaint": complaint.pk}
    )
    notice_send(actor=actor, complaint=complaint, kind="pause", values={"reason": pause.reason})
    return pause


@transaction.atomic
def complaint_resume(*, actor: User, complaint_id: int, case_version: int | None = None) -> Pause:
    """Restart the clock: the whole days paused are added to the period and the complainant told the new date."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    recovery.check_version(complaint.case, case_version)
    pause = Pause.objects.select_for_update().filter(complaint=complaint, resumed_at__isnull=True).first()
    if complaint.paused_at is None or pause is None:
        raise Conflict(_("The clock of this complaint is not paused."), code="complaint_not_paused")
    now = clock.now()
    days = rules.paused_days(timezone.localtime(pause.paused_at), timezone.localtime(now))
    pause.resumed_at, pause.resumed_by, pause.days = now, actor, days
    pause.save(update_fields=["resumed_at", "resumed_by", "days"])
    with audit.changing(
        complaint,
        actor=actor,
        action="complaint.resume",
        tracked=PROCEDURE_FIELDS,
        update_fields=["paused_at", "paused_days", "due_at"],
    ):
        complaint.paused_at = None
        complaint.paused_days += days
        complaint.due_at = law_due(complaint.received_at, complaint.extension_level, paused_days=complaint.paused_days)
    recovery.timeline_add(
        complaint.case,
        TimelineKind.RESUMED,
        actor=actor,
        text=texts.Message(
            gettext_noop("%(days)s days left out of the period; decide by %(due)s."),
            days=days,
            due=local(complaint.due_at),
        ),
        data={"complaint": complaint.pk, "days": days, "due_at": complaint.due_at.isoformat()},
    )
    refresh_case_clock(actor, complaint.case)
    notice_send(actor=actor, complaint=complaint, kind="resume", values={"due": local(complaint.due_at)})
    return pause


@transaction.atomic
def complaint_withdraw(
    *, actor: User, complaint_id: int, reason: str = "", by_customer: bool = False, case_version: int | None = None
) -> Complaint:
    """The complainant withdraws (on the portal, `by_customer`) or staff record their withdrawal: the procedure
    ends the day it is received. A decided complaint cannot be withdrawn (409)."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    recovery.check_version(complaint.case, case_version)
    refusal = rules.withdrawal_refusal(
        decided=complaint.decided_at is not None, withdrawn=complaint.withdrawn_at is not None
    )
    if refusal:
        raise Conflict(_refusal_text(refusal), code=refusal)
    now = clock.now()
    running = Pause.objects.select_for_update().filter(complaint=complaint, resumed_at__isnull=True).first()
    if running is not None:
        running.resumed_at, running.resumed_by = now, actor
        running.save(update_fields=["resumed_at", "resumed_by"])
    text = reason.strip() or _("Withdrawn by the complainant.")
    with audit.changing(
        complaint,
        actor=actor,
        action="complaint.withdraw",
        tracked=PROCEDURE_FIELDS,
        update_fields=["withdrawn_at", "decided_at", "decision", "paused_at"],
    ):
        complaint.withdrawn_at = complaint.decided_at = now
        complaint.decision, complaint.paused_at = text, None
    recovery.timeline_add(
        complaint.case,
        TimelineKind.WITHDRAWN,
        actor=actor,
        text=text,
        data={"complaint": complaint.pk, "by_customer": by_customer},
    )
    refresh_case_clock(actor, complaint.case)
    notice_send(actor=actor, complaint=complaint, kind="withdrawal", values={"at": local(now)})
    return complaint


def _refusal_text(code: str) -> str:
    return {
        "complaint_already_decided": _("This complaint is already decided."),
        "complaint_already_withdrawn": _("This complaint was already withdrawn."),
        "complaint_paused": _("The clock of this complaint is already paused."),
        "complaint_not_decided": _("A review can be asked for only once the complaint is decided."),
        "review_already_requested": _("A review of this decision was already asked for."),
        "review_too_late": _("The time to ask for a review of this decision has passed."),
    }[code]


def _review_owner(complaint: Complaint) -> User | None:
    """The nearest handler or supervisor of the superior unit (the head office for a complaint handled there)
    who had no part in the case: not its owner, not the subject, not who drafted or checked its letter."""
    unit = handling_unit(complaint.case)
    superior = unit.parent if unit.parent_id else unit
    assert superior is not None
    excluded = {complaint.case.owner_id, complaint.subject_id}
    for drafted_by, checked_by in complaint.letters.values_list("drafted_by_id", "checked_by_id"):
        excluded |= {drafted_by, checked_by}
    up = Ancestry.of(superior)
    return up.nearest(up.staff({Role.HANDLER, Role.SUPERVISOR}, exclude={i for i in excluded if i}))


@transaction.atomic
def review_request(*, actor: User, complaint_id: int, grounds: str, by_customer: bool = False) -> Review:
    """The complainant disputes the decision: a review by the superior unit opens with its own due date."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    if not grounds.strip():
        message = _("Say why the decision should be reviewed.")
        raise InvalidInput(message, fields={"grounds": [message]})
    config = clock_config()
    now = clock.now()
    refusal = rules.review_refusal(
        decided_at=timezone.localtime(complaint.decided_at) if complaint.decided_at else None,
        withdrawn=complaint.withdrawn_at is not None,
        now=now,
        has_review=Review.objects.filter(complaint=complaint).exists(),
        config=config,
    )
    if refusal:
        raise Conflict(_refusal_text(refusal), code=refusal)
    due = rules.period_end(timezone.localtime(now), config.review_days, config, calendar.working_calendar())
    review = Review.objects.create(
        complaint=complaint,
        grounds=grounds.strip(),
        requested_at=now,
        requested_by=actor,
        due_at=due,
        owner=_review_owner(complaint),
    )
    audit.record(
        audit.entry(
            actor=actor,
            action="complaint.review.request",
            obj=review,
            after=audit.snapshot(review, ["complaint", "due_at", "owner", "status"]),
        )
    )
    recovery.timeline_add(
        complaint.case,
        TimelineKind.REVIEW,
        actor=actor,
        text=review.grounds,
        data={"complaint": complaint.pk, "review": review.pk, "by_customer": by_customer, "due_at": due.isoformat()},
    )
    notice_send(actor=actor, complaint=complaint, kind="review", values={"due": local(due)})
    return review


@transaction.atomic
def review_decide(*, actor: User, review_id: int, outcome: str, decision: str) -> Review:
    """Decide a review: its owner, or a supervisor or senior manager above the complaint's unit; never someone
    who took part in the decision under review (回避)."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("complaint__case__org_unit", "complaint__case__owner__org_unit", "complaint__customer")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not in_scope(actor, review.complaint.case.org_unit_id):
        raise NotFound(_("No such review."))
    complaint = review.complaint
    if review.status != ReviewStatus.OPEN:
        raise Conflict(_("This review was already decided."), code="review_already_decided")
    errors: dict[str, list[str]] = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = [_("Choose whether the decision is confirmed or changed.")]
    if not decision.strip():
        errors["decision"] = [_("Write the review decision told to the customer.")]
    if errors:
        raise InvalidInput(_("The review was not decided: please correct the marked fields."), fields=errors)
    took_part = {complaint.case.owner_id, complaint.subject_id}
    for drafted_by, checked_by in complaint.letters.values_list("drafted_by_id", "checked_by_id"):
        took_part |= {drafted_by, checked_by}
    unit_path = handling_unit(complaint.case).path
    above = bool(actor.org_unit_id) and unit_path.startswith(actor.org_unit.path) and unit_path != actor.org_unit.path  # type: ignore[union-attr]
    may = actor.pk == review.owner_id or (above and actor.role in APPROVES_EXTENSIONS | SENIOR_MANAGEMENT)
    if actor.pk in took_part or not may:
        raise Forbidden(
            _("A review is decided at the superior unit by someone who had no part in the decision."),
            code="review_not_yours",
        )
    with audit.changing(
        review,
        actor=actor,
        action="complaint.review.decide",
        tracked=["status", "outcome", "decided_by"],
        update_fields=["status", "outcome", "decision", "decided_at", "decided_by"],
    ):
        review.status, review.outcome, review.decision = ReviewStatus.DECIDED, outcome, decision.strip()
        review.decided_at, review.decided_by = clock.now(), actor
    recovery.timeline_add(
        complaint.case,
        TimelineKind.REVIEW,
        actor=actor,
        text=review.decision,
        data={"complaint": complaint.pk, "review": review.pk, "outcome": outcome},
    )
    notice_send(
        actor=actor,
        complaint=complaint,
        kind="review_decision",
        values={"outcome": ReviewOutcome(outcome).label, "decision": review.decision},
    )
    return review


@transaction.atomic
def regulator_feedback(*, actor: User, complaint_id: int, feedback: str) -> Complaint:
    """Record the feedback given to the regulator on a transferred complaint (once; later words go in notes)."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    if complaint.channel != Channel.REGULATOR:
        raise RuleViolation(_("This complaint was not transferred by the regulator."), code="not_a_transfer")
    if complaint.regulator_feedback_at is not None:
        raise Conflict(_("The feedback to the regulator was already recorded."), code="feedback_already_given")
    if not feedback.strip():
        message = _("Write the feedback given to the regulator.")
        raise InvalidInput(message, fields={"feedback": [message]})
    with audit.changing(
        complaint,
        actor=actor,
        action="complaint.regulator_feedback",
        tracked=["regulator_ref", "regulator_due_at", "regulator_feedback_at"],
        update_fields=["regulator_feedback", "regulator_feedback_at"],
    ):
        complaint.regulator_feedback, complaint.regulator_feedback_at = feedback.strip(), clock.now()
    recovery.timeline_add(
        complaint.case,
        TimelineKind.REGULATOR,
        actor=actor,
        text=complaint.regulator_feedback,
        data={"complaint": complaint.pk, "regulator_ref": complaint.regulator_ref},
    )
    return complaint
