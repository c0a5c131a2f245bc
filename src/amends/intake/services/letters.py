"""The decision and its letter (处理决定告知书).

银行业保险业消费投诉处理管理办法 (2020) asks that the complainant be told the decision with its result, the facts,
the reasons and basis, and the routes of relief when they disagree (申请核查、调解、仲裁、诉讼). `complaint_decide`
drafts the letter from the case's data; where the insurer requires a second person's check (an offer above a
configured amount, a regulator transfer) it waits for `letter_check` by someone other than its author; sending
it stops the clock and tells the complainant. A sent letter is never changed: its text is kept in `body`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amends.accounts.access import WORKS_CASES, in_scope, require
from amends.accounts.models import User
from amends.core import audit, clock, texts
from amends.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from amends.recovery import services as recovery
from amends.recovery.models import TimelineKind

from .. import rules
from ..access import access_complaint
from ..models import Channel, Complaint, DecisionLetter, LetterStatus, Result
from ..notices import local, notice_send
from .clock import clock_config, record_decision

LETTER_AUDIT_FIELDS = ["complaint", "status", "result", "offer_amount", "checked_by", "sent_at"]


def _check_above() -> Decimal | None:
    raw = str(settings.AMENDS_LETTER_CHECK_ABOVE).strip()
    try:
        return Decimal(raw) if raw else None
    except InvalidOperation:
        return None


@transaction.atomic
def complaint_decide(
    *,
    actor: User,
    complaint_id: int,
    decision: str,
    result: str = "",
    at_fault: bool | None = None,
    facts: str = "",
    reasons: str = "",
    offer: str = "",
    offer_amount: Decimal | None = None,
    case_version: int | None = None,
) -> Complaint:
    """Decide a complaint. With a `result` (upheld, partly_upheld, not_upheld) the decision letter is drafted
    from `facts`, `reasons` (and basis) and `offer`; it is sent at once, which stops the clock, or waits for a
    second person's check where the insurer requires one (`letters.letter_check`). Without a result (history
    replayed, older clients) the decision is recorded as told and the clock stops. `case_version` is the case
    as the page showed it: a decision is never taken on a page someone else has moved on from."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id, for_update=True)
    recovery.check_version(complaint.case, case_version)
    if complaint.decided_at is not None:
        raise RuleViolation(_("This complaint was already decided."), code="complaint_already_decided")
    if complaint.paused_at is not None:
        raise RuleViolation(
            _("The clock is paused for an outside appraisal: resume it first."), code="complaint_paused"
        )
    errors: dict[str, list[str]] = {}
    if not decision.strip():
        errors["decision"] = [_("Write the decision told to the customer.")]
    if result and result not in Result.values:
        errors["result"] = [_("Choose upheld, partly upheld or not upheld.")]
    if offer_amount is not None and offer_amount < 0:
        errors["offer_amount"] = [_("The amount cannot be negative.")]
    if errors:
        raise InvalidInput(_("The decision was not recorded: please correct the marked fields."), fields=errors)
    if result:
        letter = letter_draft(
            actor=actor,
            complaint=complaint,
            decision=decision.strip(),
            result=result,
            at_fault=at_fault,
            facts=facts.strip() or decision.strip(),
            reasons=reasons.strip() or decision.strip(),
            offer=offer.strip(),
            offer_amount=offer_amount,
        )
        return letter.complaint
    record_decision(actor, complaint, decision=decision.strip(), result="", at_fault=at_fault)
    return complaint


def letter_draft(
    *,
    actor: User,
    complaint: Complaint,
    decision: str,
    result: str,
    at_fault: bool | None,
    facts: str,
    reasons: str,
    offer: str,
    offer_amount: Decimal | None,
) -> DecisionLetter:
    """Draft the letter on a locked, undecided complaint; send it unless a second person must check it."""
    if complaint.letters.filter(status=LetterStatus.AWAITING_CHECK).exists():
        raise RuleViolation(_("A decision letter is already waiting for its check."), code="letter_awaiting_check")
    needs_check = rules.letter_needs_check(
        offer_amount=offer_amount,
        check_above=_check_above(),
        regulator_transfer=complaint.channel == Channel.REGULATOR,
        check_regulator=settings.AMENDS_LETTER_CHECK_REGULATOR,
    )
    letter = DecisionLetter.objects.create(
        complaint=complaint,
        status=LetterStatus.AWAITING_CHECK,
        result=result,
        at_fault=at_fault,
        decision=decision,
        facts=facts,
        reasons=reasons,
        offer=offer,
        offer_amount=offer_amount,
        drafted_by=actor,
        drafted_at=clock.now(),
    )
    audit.record(
        audit.entry(actor=actor, action="letter.draft", obj=letter, after=audit.snapshot(letter, LETTER_AUDIT_FIELDS))
    )
    if needs_check:
        recovery.timeline_add(
            complaint.case,
            TimelineKind.LETTER,
            actor=actor,
            text=texts.Message(gettext_noop("Decision letter drafted; it waits for a second person's check.")),
            data={"complaint": complaint.pk, "letter": letter.pk, "status": letter.status},
        )
    else:
        _send(actor, complaint, letter)
    return letter


@transaction.atomic
def letter_check(*, actor: User, letter_id: int, approve: bool, note: str = "") -> DecisionLetter:
    """A second person checks a drafted letter: approved, it is sent (the clock stops); returned, the handler
    decides again. Never its author."""
    require(actor, WORKS_CASES)
    letter = (
        DecisionLetter.objects.select_for_update(of=("self",))
        .select_related("complaint__case")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or not in_scope(actor, letter.complaint.case.org_unit_id):
        raise NotFound(_("No such decision letter."))
    if letter.status != LetterStatus.AWAITING_CHECK:
        raise RuleViolation(_("This letter is not waiting for a check."), code="letter_not_awaiting_check")
    if letter.drafted_by_id == actor.pk:
        raise Forbidden(_("A letter is checked by someone other than its author."), code="letter_own_check")
    if not approve and not note.strip():
        raise InvalidInput(_("Say what must change."), fields={"note": [_("Say what must change.")]})
    complaint = access_complaint(actor, letter.complaint_id, for_update=True)
    with audit.changing(
        letter,
        actor=actor,
        action="letter.check",
        tracked=LETTER_AUDIT_FIELDS,
        update_fields=["status", "checked_by", "checked_at", "check_note"],
    ):
        letter.checked_by, letter.checked_at, letter.check_note = actor, clock.now(), note.strip()
        if not approve:
            letter.status = LetterStatus.RETURNED
    if approve:
        _send(actor, complaint, letter)
    else:
        recovery.timeline_add(
            complaint.case,
            TimelineKind.LETTER,
            actor=actor,
            text=letter.check_note,
            data={"complaint": complaint.pk, "letter": letter.pk, "status": letter.status},
        )
    return letter


def _send(actor: User, complaint: Complaint, letter: DecisionLetter) -> None:
    """Send the letter: its text is fixed, the decision recorded (the clock stops), the complainant told."""
    now = clock.now()
    with audit.changing(
        letter,
        actor=actor,
        action="letter.send",
        tracked=LETTER_AUDIT_FIELDS,
        update_fields=["status", "sent_at", "review_deadline", "body", "language"],
    ):
        letter.status, letter.sent_at = LetterStatus.SENT, now
        letter.review_deadline = rules.review_request_deadline(timezone.localtime(now), clock_config())
        letter.language = settings.LANGUAGE_CODE
        with translation.override(letter.language):
            letter.body = render_to_string("intake/letter_body.txt", letter_context(letter))
    record_decision(actor, complaint, decision=letter.decision, result=letter.result, at_fault=letter.at_fault)
    recovery.timeline_add(
        complaint.case,
        TimelineKind.LETTER,
        actor=actor,
        text=texts.Message(gettext_noop("Decision letter sent.")),
        data={"complaint": complaint.pk, "letter": letter.pk, "status": letter.status},
    )
    notice_send(
        actor=actor,
        complaint=complaint,
        kind="decision",
        values={"result": Result(letter.result).label, "review_until": local(letter.review_deadline)},
    )


def letter_context(letter: DecisionLetter) -> dict[str, object]:
    """What the letter's templates (text, page, PDF) are filled with."""
    complaint = letter.complaint
    office = settings.AMENDS_COMPLAINT_OFFICE
    return {
        "letter": letter,
        "complaint": complaint,
        "customer": complaint.customer,
        "result_label": Result(letter.result).label,
        "office": office,
        "hotline": settings.AMENDS_HOTLINE,
        "review_days": clock_config().review_request_days,
    }
