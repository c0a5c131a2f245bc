"""Reads of complaints: the complaints section of a case, the shape of a complaint in the API, its letter and
review, and the list of regulator transfers with the feedback owed (an export for the regulator-facing officer)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from amends.accounts.access import scope_filter
from amends.accounts.models import User
from amends.core.errors import NotFound
from amends.recovery.models import Case

from .models import Complaint, DecisionLetter, LetterStatus, Review


def complaint_brief(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.pk,
        "reference": c.reference,
        "channel": c.channel,
        "received_at": c.received_at,
        "due_at": c.due_at,
        "extension_level": c.extension_level,
        "decided_at": c.decided_at,
        "decision": c.decision or None,
        "status": status_of(c),
        "withdrawn_at": c.withdrawn_at,
        "paused_at": c.paused_at,
        "paused_days": c.paused_days,
        "filed_as": c.filed_as or None,
        "filer": {"name": c.filer_name, "contact": c.filer_contact, "authority": c.filer_authority}
        if c.filed_as
        else None,
        "regulator": {
            "reference": c.regulator_ref,
            "due_at": c.regulator_due_at,
            "feedback": c.regulator_feedback or None,
            "feedback_at": c.regulator_feedback_at,
        }
        if c.channel == "regulator"
        else None,
        "policy_no": c.policy_no or None,
        "claim_no": c.claim_no or None,
        "touchpoint": c.touchpoint.code if c.touchpoint else None,
        "description": c.description,
        "request": c.request,
        "request_confirmed": c.request_confirmed,
        "loss_amount": str(c.loss_amount) if c.loss_amount is not None else None,
        "category": c.category or None,
        "line": c.line or None,
        "region": c.region or None,
        "result": c.result or None,
        "at_fault": c.at_fault,
        "imported": {"source": c.source, "external_ref": c.external_ref} if c.source else None,
        "extensions": [
            {"id": e.pk, "level": e.level, "status": e.status, "reason": e.reason} for e in c.extensions.all()
        ],
        "letters": [letter_brief(letter) for letter in c.letters.all()],
        "review": review_brief(c.review) if hasattr(c, "review") else None,
        "notices": [{"kind": n.kind, "at": n.at, "to": n.to, "text": n.text} for n in c.notices.all()],
    }


def status_of(c: Complaint) -> str:
    if c.withdrawn_at:
        return "withdrawn"
    if c.decided_at:
        return "decided"
    return "paused" if c.paused_at else "open"


def letter_brief(letter: DecisionLetter) -> dict[str, Any]:
    return {
        "id": letter.pk,
        "status": letter.status,
        "result": letter.result,
        "facts": letter.facts,
        "reasons": letter.reasons,
        "offer": letter.offer,
        "offer_amount": str(letter.offer_amount) if letter.offer_amount is not None else None,
        "review_deadline": letter.review_deadline,
        "sent_at": letter.sent_at,
        "drafted_by": letter.drafted_by_id,
        "checked_by": letter.checked_by_id,
        "url": f"/letters/{letter.pk}/" if letter.status == LetterStatus.SENT else None,
    }


def review_brief(review: Review) -> dict[str, Any]:
    return {
        "id": review.pk,
        "complaint": review.complaint_id,
        "grounds": review.grounds,
        "requested_at": review.requested_at,
        "due_at": review.due_at,
        "owner": review.owner_id,
        "status": review.status,
        "outcome": review.outcome or None,
        "decision": review.decision or None,
        "decided_at": review.decided_at,
    }


def case_complaints(actor: User, case: Case) -> list[dict[str, Any]]:
    rows = (
        Complaint.objects.filter(case=case)
        .select_related("touchpoint", "review")
        .prefetch_related("extensions", "letters", "notices")
    )
    return [complaint_brief(c) for c in rows.order_by("received_at", "id")]


def letter_for(actor: User, letter_id: int) -> DecisionLetter:
    """A decision letter in the actor's scope (that of its complaint's case); NotFound otherwise."""
    rows = DecisionLetter.objects.select_related("complaint__case", "complaint__customer")
    letter = scope_filter(rows, actor, "complaint__case__org_unit").filter(pk=letter_id).first()
    if letter is None:
        raise NotFound(_("No such decision letter."))
    return letter


TRANSFER_COLUMNS = [
    "transfer_number",
    "complaint",
    "customer",
    "received_at",
    "regulator_due_at",
    "status",
    "result",
    "decided_at",
    "feedback",
    "feedback_at",
    "feedback_on_time",
]


def regulator_transfers(actor: User, *, owed_only: bool = False) -> list[dict[str, Any]]:
    """Complaints transferred by the regulator in the actor's scope, the deadline first: the feedback owed and
    the feedback given, one row each, in the columns a regulator-facing officer copies into the system."""
    rows = Complaint.objects.filter(channel="regulator").select_related("customer")
    rows = scope_filter(rows, actor, "case__org_unit")
    if owed_only:
        rows = rows.filter(regulator_feedback_at__isnull=True)
    out = []
    for c in rows.order_by("regulator_due_at", "pk"):
        out.append(
            {
                "transfer_number": c.regulator_ref,
                "complaint": c.reference,
                "customer": c.customer.name,
                "received_at": c.received_at,
                "regulator_due_at": c.regulator_due_at,
                "status": status_of(c),
                "result": c.result or None,
                "decided_at": c.decided_at,
                "feedback": c.regulator_feedback or None,
                "feedback_at": c.regulator_feedback_at,
                "feedback_on_time": None
                if c.regulator_feedback_at is None or c.regulator_due_at is None
                else c.regulator_feedback_at <= c.regulator_due_at,
            }
        )
    return out
