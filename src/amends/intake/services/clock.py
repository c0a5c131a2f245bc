"""The regulatory clock of a complaint: the decision that stops it, extensions that move it.

银行业保险业消费投诉处理管理办法 (2020): decide and tell the complainant within 15 days; a complex complaint
may run to 30 days with a reason; an especially complex one a further 30 days with a supervisor's approval.
The arithmetic is `intake.rules`; these are the writes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from amends.accounts.access import APPROVES_EXTENSIONS, WORKS_CASES, in_scope, require
from amends.accounts.models import User
from amends.core import audit, clock
from amends.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from amends.recovery import services as recovery
from amends.recovery.models import Case, TimelineKind

from .. import rules
from ..access import access_complaint
from ..models import ClockExtension, Complaint, ExtensionStatus, Result

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
    return rules.ClockConfig(**settings.AMENDS_CLOCK)


def _refresh_case_clock(actor: User, case: Case) -> None:
    due = Complaint.objects.filter(case=case, decided_at__isnull=True).aggregate(due=Min("due_at"))["due"]
    recovery.case_clock_update(actor=actor, case=Case.objects.select_for_update().get(pk=case.pk), due_at=due)


@transaction.atomic
def complaint_decide(
    *,
    actor: User,
    complaint_id: int,
    decision: str,
    result: str = "",
    at_fault: bool | None = None,
    case_version: int | None = None,
) -> Complaint:
    """Record that the decision was communicated to the complainant: this stops the regulatory clock. `result`
    is upheld, partly_upheld or not_upheld ("" when not recorded); `at_fault`, whether the insurer was at fault.
    `case_version` is the case as the page showed it: a decision is never taken on a page someone else has moved
    on from."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    recovery.check_version(complaint.case, case_version)
    if complaint.decided_at is not None:
        raise RuleViolation(_("This complaint was already decided."), code="complaint_already_decided")
    errors: dict[str, list[str]] = {}
    if not decision.strip():
        errors["decision"] = [_("Write the decision told to the customer.")]
    if result and result not in Result.values:
        errors["result"] = [_("Choose upheld, partly upheld or not upheld.")]
    if errors:
        raise InvalidInput(_("The decision was not recorded: please correct the marked fields."), fields=errors)
    with audit.changing(
        complaint,
        actor=actor,
        action="complaint.decide",
        tracked=[*COMPLAINT_AUDIT_FIELDS, "result", "at_fault"],
        update_fields=["decided_at", "decision", "result", "at_fault"],
    ):
        complaint.decided_at, complaint.decision = clock.now(), decision.strip()
        complaint.result, complaint.at_fault = result, at_fault
    recovery.timeline_add(
        complaint.case,
        TimelineKind.DECIDED,
        actor=actor,
        text=complaint.decision,
        data={"complaint": complaint.pk, "within_deadline": complaint.decided_at <= complaint.due_at},
    )
    _refresh_case_clock(actor, complaint.case)
    return complaint


@transaction.atomic
def complaint_extend(
    *, actor: User, complaint_id: int, level: int, reason: str, case_version: int | None = None
) -> ClockExtension:
    """Extend the deadline: level 1 (to 30 days) with a reason; level 2 (+30) only with a supervisor's approval,
    so a handler's level-2 request waits for one and a supervisor's own is approved as it is recorded."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    recovery.check_version(complaint.case, case_version)
    pending = complaint.extensions.filter(status=ExtensionStatus.PENDING).exists()
    refusal = rules.extension_refusal(
        current_level=complaint.extension_level,
        requested_level=level,
        decided=complaint.decided_at is not None,
        reason=reason,
    )
    if pending:
        refusal = "extension_pending"
    if refusal:
        messages = {
            "complaint_already_decided": _("This complaint is already decided."),
            "extension_needs_reason": _("An extension needs a reason."),
            "extension_out_of_order": _("Extensions go in order: first to 30 days, then a further 30 days."),
            "extension_pending": _("An extension is already waiting for approval."),
        }
        fields = (
            {"reason": [messages[refusal]]} if refusal == "extension_needs_reason" else {"level": [messages[refusal]]}
        )
        raise RuleViolation(messages[refusal], code=refusal, fields=fields)
    now = clock.now()
    approved_now = level == 1 or actor.role in APPROVES_EXTENSIONS
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


def _apply_extension(actor: User, complaint: Complaint, extension: ClockExtension) -> None:
    with audit.changing(
        complaint,
        actor=actor,
        action="complaint.extend",
        tracked=COMPLAINT_AUDIT_FIELDS,
        update_fields=["extension_level", "due_at"],
    ):
        complaint.extension_level = extension.level
        complaint.due_at = rules.due_at(complaint.received_at, extension.level, clock_config())
    recovery.timeline_add(
        complaint.case,
        TimelineKind.EXTENSION,
        actor=actor,
        text=extension.reason,
        data={"complaint": complaint.pk, "level": extension.level, "due_at": complaint.due_at.isoformat()},
    )
    _refresh_case_clock(actor, complaint.case)


@transaction.atomic
def extension_decide(
    *, actor: User, extension_id: int, approve: bool, note: str = "", case_version: int | None = None
) -> ClockExtension:
    require(actor, APPROVES_EXTENSIONS)
    extension = (
        ClockExtension.objects.select_for_update().select_related("complaint__case").filter(pk=extension_id).first()
    )
    if extension is None or not in_scope(actor, extension.complaint.case.org_unit_id):
        raise NotFound(_("No such extension request."))
    recovery.check_version(extension.complaint.case, case_version)
    if extension.status != ExtensionStatus.PENDING:
        raise RuleViolation(_("This extension request was already decided."), code="extension_already_decided")
    if extension.requested_by_id == actor.pk:
        raise Forbidden(_("An extension cannot be approved by the person who asked for it."))
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
