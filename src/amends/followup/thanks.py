"""Thanking the complainant (给投诉顾客以奖赏): a complaint accepted on the portal earns a small token of
thanks, symbolic atonement granted by the system, with its kind and amount from `AMENDS_THANKS` (amount 0
turns it off).

The grant itself is the discretion ledger's: `discretion_grant_system` (source `thanks:<complaint id>`) checks it
against the `system` role's authority policy and budget, so thanks count in the equal-treatment report and the
spend like any other atonement, and an insurer without such a policy promises nothing (the refusal is in the
ledger). `followup.Thanks` keeps what the customer is told on the status page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from amends.core import audit, clock
from amends.discretion.models import RequestStatus
from amends.discretion.services import discretion_grant_system
from amends.intake.models import Complaint

from .models import Thanks, ThanksKind


def thanks_grant(complaint: Complaint) -> Thanks | None:
    """Grant the configured token of thanks for a complaint, once; None when thanks are turned off or the
    system's authority does not cover them."""
    amount = Decimal(str(settings.AMENDS_THANKS["amount"]))
    if amount <= 0:
        return None
    existing = Thanks.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    kind = ThanksKind(settings.AMENDS_THANKS["kind"])
    text = _("Token of thanks for complaint %(ref)s: %(kind)s ¥%(amount)s") % {
        "ref": complaint.reference,
        "kind": kind.label,
        "amount": amount,
    }
    grant = discretion_grant_system(
        customer_id=complaint.customer_id,
        amount=amount,
        reason=text,
        source_ref=f"thanks:{complaint.pk}",
        kind=kind.value,
        case_id=complaint.case_id,
    )
    if grant.status != RequestStatus.GRANTED:
        return None  # the ledger holds the refusal and its reasons; the customer is promised nothing
    thanks = Thanks.objects.create(
        complaint=complaint, customer_id=complaint.customer_id, kind=kind, amount=amount, granted_at=clock.now()
    )
    audit.record(
        audit.entry(actor=None, action="thanks.grant", obj=thanks, after={"kind": thanks.kind, "amount": str(amount)})
    )
    return thanks


def thanks_for(complaint: Complaint) -> dict[str, Any] | None:
    row = Thanks.objects.filter(complaint=complaint).first()
    return {"kind": row.get_kind_display(), "amount": row.amount} if row else None
