"""The regulatory clock of a complaint: the decision that stops it, extensions that move it.

银行业保险业消费投诉处理管理办法 (2020): decide and tell the complainant within 15 days; a complex complaint
may run to 30 days with a reason; an especially complex one a further 30 days, approved by the superior
institution or head-office senior management (not the one who asked), the complainant told each time. An
extension is possible only before the current due time. The arithmetic is `intake.rules`; these are the
writes. Pauses, withdrawal and review are in `procedure`, the decision letter in `letters`.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.access import APPROVES_EXTENSIONS, SENIOR_MANAGEMENT, WORKS_CASES, in_scope, require
from amends.accounts.models import OrgUnit, User
from amends.core import audit, calendar, clock
from amends.core.errors import Conflict, Forbidden, NotFound, RuleViolation
from amends.recovery import services as recovery
from amends.recovery.models import Case, TimelineKind

from .. import rules
from ..access import access_complaint
from ..models import ClockExtension, Complaint, ExtensionStatus
from ..notices import local, notice_send

COMPLAINT_AUDIT_FIELDS = [
    "case",
    "customer",
    "channel",
    "received_at",
    "due_at",
    "extension_level",
    "decided_at",
]


def clock_config() -> rules.ClockConfig:
    conf: dict[str, Any] = dict(settings.AMENDS_CLOCK)
    conf["day_ends"] = time.fromisoformat(conf["day_ends"])
    return rules.ClockConfig(**conf)


def law_due(received_at: datetime, level: int, *, paused_days: int = 0) -> datetime:
    """The due time of a complaint received at `received_at`, on the configured clock and working calendar."""
    return rules.due_at(
        timezone.localtime(received_at), level, clock_config(), calendar.working_calendar(), paused_days=paused_days
    )


def handling_unit(case: Case) -> OrgUnit:
    """The institution handling a case: its owner's unit (an outlet's complaints are handled by the city
    branch), else the case's own. Its superior institution is any unit above it."""
    if case.owner_id and case.owner.org_unit_id:  # type: ignore[union-attr]
        return case.owner.org_unit  # type: ignore[union-attr,return-value]
    return case.org_unit


def refresh_case_clock(actor: User, case: Case) -> None:
    due = Complaint.objects.filter(case=case, decided_at__isnull=True).aggregate(due=Min("due_at"))["due"]
    recovery.case_clock_update(actor=actor, case=Case.objects.select_for_update().get(pk=case.pk), due_at=due)


def record_decision(actor: User, complaint: Complaint, *, decision: str, result: str, at_fault: bool | None) -> None:
    """Stop the clock on a decision told to the complainant (the letter sent, or told without one)."""
    with audit.changing(
        complaint,
        actor=actor,
        action="complaint.decide",
        tracked=[*COMPLAINT_AUDIT_FIELDS, "result", "at_fault"],
        update_fields=["decided_at", "decision", "result", "at_fault"],
    ):
        complaint.decided_at, complaint.decision = clock.now(), decision
        complaint.result, complaint.at_fault = result, at_fault
    recovery.timeline_add(
        complaint.case,
        TimelineKind.DECIDED,
        actor=actor,
        text=complaint.decision,
        data={"complaint": complaint.pk, "within_deadline": complaint.decided_at <= complaint.due_at},
    )
    refresh_case_clock(actor, complaint.case)


@transaction.atomic
def complaint_extend(
    *, actor: User, complaint_id: int, level: int, reason: str, case_version: int | None = None
) -> ClockExtension:
    """Extend the deadline: level 1 (to 30 days) with a reason, in force at once; level 2 (+30) waits for the
    superior institution or head-office senior management. Either only before the current due time."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    recovery.check_version(complaint.case, case_version)
    config = clock_config()
    now = clock.now()
    refusal = rules.extension_refusal(
        current_level=complaint.extension_level,
        requested_level=level,
        decided=complaint.decided_at is not None,
        reason=reason,
        now=now,
        due=complaint.due_at,
        paused=complaint.paused_at is not None,
        min_reason_chars=config.min_reason_chars,
    )
    if refusal is None and complaint.extensions.filter(status=ExtensionStatus.PENDING).exists():
        refusal = "extension_pending"
    if refusal:
        _refuse_extension(refusal, complaint, config)
    approved_now = level == 1
    extension = ClockExtension.objects.create(
        complaint=complaint,
        level=level,
        reason=reason.strip(),
        status=ExtensionStatus.APPROVED if approved_now else ExtensionStatus.PENDING,
        requested_by=actor,
        requested_at=now,
        decided_by=actor if approved_now else None,
        decided_at=now if approved_now else None,
    )
    audit.record(
        audit.entry(
            actor=actor,
            action="complaint.extension.request",
            obj=extension,
            after=audit.snapshot(extension, ["complaint", "level", "status", "reason"]),
        )
    )
    if approved_now:
        _apply_extension(actor, complaint, extension)
    else:
        recovery.timeline_add(
            complaint.case,
            TimelineKind.EXTENSION_REQUESTED,
            actor=actor,
            text=extension.reason,
            data={"complaint": complaint.pk, "level": level},
        )
    return extension


def _refuse_extension(refusal: str, complaint: Complaint, config: rules.ClockConfig) -> None:
    due = local(complaint.due_at)
    if refusal == "extension_after_due":
        # 409: the deadline has passed; a missed deadline is not extended after the fact.
        raise Conflict(
            _("The deadline (%(due)s) has passed: an extension must be asked before it.") % {"due": due},
            code=refusal,
            fields={"due_at": [timezone.localtime(complaint.due_at).isoformat()]},
        )
    messages = {
        "complaint_already_decided": _("This complaint is already decided."),
        "complaint_paused": _("The clock is paused for an outside appraisal: resume it first."),
        "extension_needs_reason": _("An extension needs a reason of at least %(n)s characters.")
        % {"n": config.min_reason_chars},
        "extension_out_of_order": _("Extensions go in order: first to 30 days, then a further 30 days."),
        "extension_pending": _("An extension is already waiting for approval."),
    }
    field = "reason" if refusal == "extension_needs_reason" else "level"
    raise RuleViolation(messages[refusal], code=refusal, fields={field: [messages[refusal]]})


def _apply_extension(actor: User, complaint: Complaint, extension: ClockExtension) -> None:
    with audit.changing(
        complaint,
        actor=actor,
        action="complaint.extend",
        tracked=COMPLAINT_AUDIT_FIELDS,
        update_fields=["extension_level", "due_at"],
    ):
        complaint.extension_level = extension.level
        complaint.due_at = law_due(complaint.received_at, extension.level, paused_days=complaint.paused_days)
    recovery.timeline_add(
        complaint.case,
        TimelineKind.EXTENSION,
        actor=actor,
        text=extension.reason,
        data={"complaint": complaint.pk, "level": extension.level, "due_at": complaint.due_at.isoformat()},
    )
    refresh_case_clock(actor, complaint.case)
    notice_send(
        actor=actor,
        complaint=complaint,
        kind="extension",
        values={"due": local(complaint.due_at), "reason": extension.reason},
    )


@transaction.atomic
def extension_decide(
    *, actor: User, extension_id: int, approve: bool, note: str = "", case_version: int | None = None
) -> ClockExtension:
    require(actor, APPROVES_EXTENSIONS)
    extension = (
        ClockExtension.objects.select_for_update(of=("self",))
        .select_related("complaint__case__org_unit", "complaint__case__owner__org_unit")
        .filter(pk=extension_id)
        .first()
    )
    if extension is None or not in_scope(actor, extension.complaint.case.org_unit_id):
        raise NotFound(_("No such extension request."))
    recovery.check_version(extension.complaint.case, case_version)
    if extension.status != ExtensionStatus.PENDING:
        raise RuleViolation(_("This extension request was already decided."), code="extension_already_decided")
    if extension.requested_by_id == actor.pk:
        raise Forbidden(_("An extension cannot be approved by the person who asked for it."))
    case = extension.complaint.case
    handling = handling_unit(case)
    if extension.level == 2 and approve:
        standing = rules.further_extension_decider(
            decider_id=actor.pk,
            requester_id=extension.requested_by_id,
            decider_unit_path=actor.org_unit.path if actor.org_unit_id else None,  # type: ignore[union-attr]
            complaint_unit_path=handling.path,
            decider_approves=actor.role in APPROVES_EXTENSIONS,
            decider_is_senior=actor.role in SENIOR_MANAGEMENT,
        )
        if standing is None:
            raise Forbidden(
                _(
                    "A further extension is approved by the superior institution or by head-office senior "
                    "management, not by the unit that handles the complaint."
                ),
                code="extension_needs_superior",
            )
        if clock.now() >= extension.complaint.due_at:
            raise Conflict(
                _("The deadline (%(due)s) has passed: the extension can no longer be approved.")
                % {"due": local(extension.complaint.due_at)},
                code="extension_after_due",
                fields={"due_at": [timezone.localtime(extension.complaint.due_at).isoformat()]},
            )
    with audit.changing(
        extension,
        actor=actor,
        action="complaint.extension.decide",
        tracked=["status", "decided_by"],
        update_fields=["status", "decided_by", "decided_at", "decision_note"],
    ):
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        extension.decided_by, extension.decided_at, extension.decision_note = actor, clock.now(), note.strip()
    complaint = Complaint.objects.select_for_update().select_related("case").get(pk=extension.complaint_id)
    if approve:
        _apply_extension(actor, complaint, extension)
    else:
        recovery.timeline_add(
            complaint.case,
            TimelineKind.EXTENSION_REJECTED,
            actor=actor,
            text=extension.decision_note,
            data={"complaint": complaint.pk, "level": extension.level},
        )
    return extension
