"""Thanking the complainant (给投诉顾客以奖赏): a complaint accepted on the portal earns a small token of
thanks, symbolic atonement granted by the system, with its kind and amount from `AMENDS_THANKS` (amount 0
turns it off). It stands on the case timeline and in the audit log.

Kept in `followup.Thanks` because the discretion ledger (issue 3) had not landed when this was written; it
belongs in that ledger as a system grant (`discretion_grant_system`, source `thanks:<complaint id>`), which
would also check it against the `system` role's authority policy.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from amends.core import audit, clock
from amends.intake.models import Complaint
from amends.recovery import services as recovery
from amends.recovery.models import TimelineKind

from .models import Thanks, ThanksKind


def thanks_grant(complaint: Complaint) -> Thanks | None:
    """Grant the configured token of thanks for a complaint, once; None when thanks are turned off."""
    amount = Decimal(str(settings.AMENDS_THANKS["amount"]))
    if amount <= 0:
        return None
    now = clock.now()
    thanks, created = Thanks.objects.get_or_create(
        complaint=complaint,
        defaults={
            "customer_id": complaint.customer_id,
            "kind": ThanksKind(settings.AMENDS_THANKS["kind"]),
            "amount": amount,
            "granted_at": now,
        },
    )
    if created:
        text = _("Token of thanks for complaint %(ref)s: %(kind)s ¥%(amount)s") % {
            "ref": complaint.reference,
            "kind": thanks.get_kind_display(),
            "amount": thanks.amount,
        }
        recovery.timeline_add(complaint.case, TimelineKind.NOTE, actor=None, text=text, at=now)
        audit.record(
            audit.entry(
                actor=None, action="thanks.grant", obj=thanks, after={"kind": thanks.kind, "amount": str(amount)}
            )
        )
    return thanks


def thanks_for(complaint: Complaint) -> dict[str, Any] | None:
    row = Thanks.objects.filter(complaint=complaint).first()
    return {"kind": row.get_kind_display(), "amount": row.amount} if row else None
