"""Writes of text intelligence: reading a complaint at intake, and staff confirming its codes.

`complaint_read` is intake's receiver (`intake.hooks`): inside the complaint's own transaction it stores
the flags and suggested codes, raises the case's priority for an escalation flag and raises the alert
(distress goes to a supervisor as critical, at once). Nothing here runs a query per term or per class.
`complaint_code` records a code staff accepted or corrected (the training data); `model_train` (in
`.training`) stores a newly trained classifier.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amends.accounts.access import EDITS_LEXICON, WORKS_CASES, require
from amends.accounts.models import Role, User
from amends.accounts.tree import nearest_staff
from amends.core import audit, batch, clock, texts
from amends.core.errors import InvalidInput, NotFound
from amends.customers.models import ProductLine
from amends.intake.access import access_complaint
from amends.intake.models import Category, Complaint, ComplaintReason
from amends.journeys.models import Touchpoint
from amends.journeys.queries import touchpoint_by_code
from amends.recovery import services as recovery
from amends.recovery.models import Case, Cause, Dimension
from amends.recovery.services.common import CASE_AUDIT_FIELDS, check_version, locked_case, save_case
from amends.warning import services as warning
from amends.warning.models import Alert, Severity

from . import lexicon, store
from .flags import Flag, find_flags
from .models import CodeField, CodeOutcome, ComplaintCode, ComplaintText, FlagCode, Gap, LexiconTerm

ESCALATION_RULE = "text.escalation"
DISTRESS_RULE = "text.distress"


def complaint_words(complaint: Complaint) -> str:
    """What the customer said: the description and the request, read together."""
    return f"{complaint.description}\n{complaint.request}"


def complaint_read(*, complaint: Complaint, actor: User, at: datetime) -> ComplaintText:
    words = complaint_words(complaint)
    flags = find_flags(words, lexicon.current())
    model = store.current()
    reading = ComplaintText(
        complaint=complaint,
        flags=[f.as_dict() for f in flags],
        suggested=model.suggest(words),
        model=model.label,
        read_at=at,
    )
    batch.add(reading)
    if flags:
        _escalate(complaint, flags, actor)
    return reading


def complaint_creates(words: str) -> list[type[Model]]:
    """The alerts `complaint_read` will raise for these words (intake reserves their ids)."""
    codes = {f.code for f in find_flags(words, lexicon.current())}
    return [Alert] * ((1 if codes - {"distress"} else 0) + (1 if "distress" in codes else 0))


def _words(flags: list[Flag]) -> list[texts.Message]:
    """The flags as their labels with the words that raised them ("Repeat complaint: 又打"), never their code;
    each label in the reader's language."""
    labels = dict(FlagCode.choices)
    return [
        texts.Message(gettext_noop("%(flag)s: %(words)s"), flag=labels.get(f.code, f.code), words=f.evidence)
        for f in flags
    ]


def _escalate(complaint: Complaint, flags: list[Flag], actor: User) -> None:
    case = complaint.case
    recovery.case_escalate(actor=actor, case=case, flags=[f.code for f in flags])
    words = _words(flags)
    detail = {"complaint": complaint.pk, "flags": [f.as_dict() for f in flags]}
    common: dict[str, Any] = {
        "subject_type": "complaint",
        "subject_id": complaint.pk,
        "org_unit_id": case.org_unit_id,
        "customer_id": complaint.customer_id,
        "case_id": case.pk,
        "detail": detail,
    }
    escalation = [f for f in flags if f.code != "distress"]
    # The complaint is new: no alert of its can be live yet (warning.alert_raise_new, no look-up).
    if escalation:
        warning.alert_raise_new(
            rule=ESCALATION_RULE,
            owner=case.owner,
            severity=Severity.WARNING,
            title=texts.Message(
                gettext_noop("Escalation risk in %(complaint)s (%(words)s)"),
                complaint=complaint.reference,
                words=_words(escalation),
            ),
            **common,
        )
    if any(f.code == "distress" for f in flags):
        warning.alert_raise_new(
            rule=DISTRESS_RULE,
            owner=nearest_supervisor(case) or case.owner,
            severity=Severity.CRITICAL,
            title=texts.Message(
                gettext_noop("Customer in distress, act now: %(complaint)s (%(words)s)"),
                complaint=complaint.reference,
                words=words,
            ),
            **common,
        )


def nearest_supervisor(case: Case) -> User | None:
    """The supervisor closest to the case's branch, up the org tree (one query)."""
    return nearest_staff(case.org_unit, Role.SUPERVISOR)


def _valid_codes(field: str) -> set[str]:
    if field == CodeField.CATEGORY:
        return set(Category.values)
    if field == CodeField.TOUCHPOINT:
        return set(Touchpoint.objects.filter(active=True).values_list("code", flat=True))
    if field == CodeField.CAUSE:
        return set(Cause.values)
    if field == CodeField.DIMENSION:
        return set(Dimension.values)
    if field == CodeField.GAP:
        return set(Gap.values)
    if field == CodeField.REASON:
        return set(ComplaintReason.objects.filter(active=True).values_list("code", flat=True))
    if field == CodeField.PRODUCT_LINE:
        return set(ProductLine.objects.filter(active=True).values_list("code", flat=True))
    raise InvalidInput(_("Unknown code field."), fields={"field": [_("Unknown code field.")]})


@transaction.atomic
def complaint_code(*, actor: User, complaint_id: int, field: str, code: str, version: int | None) -> ComplaintCode:
    """Confirm one code of a complaint: the suggestion accepted as it is, or corrected. The code is what the
    next model learns from; category and touchpoint are also written on the complaint itself, and a reason
    sets the category it belongs to."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id)
    case = locked_case(actor, complaint.case_id)
    check_version(case, version)
    code = code.strip()
    if code not in _valid_codes(field):
        raise InvalidInput(
            _("Choose a code from the list."), fields={"code": [_("Unknown code “%(value)s”.") % {"value": code}]}
        )
    reading = ComplaintText.objects.filter(complaint=complaint).first()
    suggestion = (reading.suggested.get(field) if reading else None) or {}
    suggested, confidence = str(suggestion.get("code", "")), suggestion.get("confidence")
    if not suggested:
        outcome = CodeOutcome.ENTERED
    else:
        outcome = CodeOutcome.ACCEPTED if code == suggested else CodeOutcome.CORRECTED
    row = ComplaintCode.objects.select_for_update().filter(complaint=complaint, field=field).first()
    before = audit.snapshot(row, CODE_AUDIT_FIELDS) if row else None
    if row is None:
        row = ComplaintCode(complaint=complaint, field=field)
    row.code, row.suggested, row.confidence, row.outcome, row.actor, row.at = (
        code,
        suggested,
        confidence,
        outcome,
        actor,
        clock.now(),
    )
    row.save()
    audit.record(
        audit.entry(
            actor=actor, action="complaint.code", obj=row, before=before, after=audit.snapshot(row, CODE_AUDIT_FIELDS)
        )
    )
    if field == CodeField.REASON:
        # A reason belongs to one business category: the complaint's category follows (audited below).
        field, code = (
            CodeField.CATEGORY,
            ComplaintReason.objects.values_list("category__code", flat=True).get(code=code),
        )
    if field == CodeField.CATEGORY and complaint.category != code:
        with audit.changing(
            complaint, actor=actor, action="complaint.category", tracked=["category"], update_fields=["category"]
        ):
            complaint.category = code
    elif field == CodeField.TOUCHPOINT and (complaint.touchpoint.code if complaint.touchpoint else "") != code:
        with audit.changing(
            complaint, actor=actor, action="complaint.touchpoint", tracked=["touchpoint"], update_fields=["touchpoint"]
        ):
            complaint.touchpoint = touchpoint_by_code(code)
    # The case page's forms carry the case version: a code changes what that page shows.
    save_case(case, audit.snapshot(case, CASE_AUDIT_FIELDS), actor=actor, action="case.code", fields=[])
    return row


CODE_AUDIT_FIELDS = ["complaint", "field", "code", "suggested", "confidence", "outcome"]


# The lexicon (flags' trigger terms and negation cues) is data quality managers keep on the lexicon page.
TERM_AUDIT_FIELDS = ["kind", "flag", "term", "is_pattern", "active", "note"]


@transaction.atomic
def lexicon_term_add(
    *, actor: User, kind: str, flag: str, term: str, is_pattern: bool = False, note: str = ""
) -> LexiconTerm:
    """A new trigger term for a flag, or a negation cue; the whole system reads it at once (this process) or
    within AMENDS_TEXT_CHECK_SECONDS (the others). Refused with the fields named when it is not usable."""
    require(actor, EDITS_LEXICON)
    row = LexiconTerm(kind=kind, flag=flag, term=term.strip(), is_pattern=is_pattern, note=note.strip())
    try:
        row.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise InvalidInput(
            _("The term was not added: please correct the marked fields."), fields=exc.message_dict
        ) from exc
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # the same kind, flag and term: once in the lexicon, even when two add it at once
        raise InvalidInput(
            _("This term is in the lexicon already."), fields={"term": [_("Already in the lexicon.")]}
        ) from None
    audit.record(audit.entry(actor=actor, action="lexicon.add", obj=row, after=audit.snapshot(row, TERM_AUDIT_FIELDS)))
    transaction.on_commit(lexicon.invalidate, robust=True)
    return row


@transaction.atomic
def lexicon_term_set_active(*, actor: User, term_id: int, active: bool) -> LexiconTerm:
    """Retire a term (it stops flagging at once) or bring it back; its history stays in the audit log."""
    require(actor, EDITS_LEXICON)
    row = LexiconTerm.objects.select_for_update().filter(pk=term_id).first()
    if row is None:
        raise NotFound(_("No such lexicon term."))
    if row.active != active:
        with audit.changing(
            row,
            actor=actor,
            action="lexicon.activate" if active else "lexicon.retire",
            tracked=TERM_AUDIT_FIELDS,
            update_fields=["active", "updated_at"],
        ):
            row.active = active
        transaction.on_commit(lexicon.invalidate, robust=True)
    return row


def lexicon_try(text: str) -> list[Flag]:
    """The flags a sentence raises with the lexicon as it stands: a quality manager checks a new term."""
    return find_flags(text, lexicon.current())
