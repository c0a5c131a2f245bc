"""Repeat contact: the customer has called about the same claim again and again without resolution.

`min_contacts` (3) inbound contacts (`contact.inbound`) on one claim within `window_days` (7), with no
resolving event (`resolved_by`: `contact.resolved`, `claim.closed`, `claim.paid`) since the first of them.
Run on ingest for the claims that got a new contact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils.translation import gettext_noop

from amends.core.texts import Message

from ..models import Event, RuleConfig
from ..validation import Row
from . import Rule, Signal, register

RESOLVED_BY = ["contact.resolved", "claim.closed", "claim.paid"]


def unresolved_streak(contacts: list[datetime], resolutions: list[datetime], window: timedelta) -> int:
    """Contacts within `window` of the latest one that came after the last resolution."""
    if not contacts:
        return 0
    latest = max(contacts)
    since = max([r for r in resolutions if r <= latest], default=None)
    return sum(1 for c in contacts if c > latest - window and (since is None or c > since))


@register
class RepeatContact(Rule):
    code = "repeat_contact"
    on_events = True
    dimension, gap = "responsiveness", 3

    def on_ingest(self, config: RuleConfig, events: Sequence[Row], now: datetime) -> list[Signal]:
        contact = self.param(config, "contact_type", "contact.inbound")
        resolved_by = list(self.param(config, "resolved_by", RESOLVED_BY))
        window = timedelta(days=float(self.param(config, "window_days", 7)))
        needed = int(self.param(config, "min_contacts", 3))
        latest = {e.claim_no: e for e in events if e.type == contact and e.claim_no}
        if not latest:
            return []
        earliest = min(e.occurred_at for e in latest.values()) - window
        rows = (
            Event.objects.filter(
                claim_no__any=list(latest), type__any=[contact, *resolved_by], occurred_at__gte=earliest
            )
            .order_by("occurred_at")
            .values_list("claim_no", "type", "occurred_at", "customer_ref", "touchpoint")
        )
        contacts: dict[str, list[datetime]] = defaultdict(list)
        resolutions: dict[str, list[datetime]] = defaultdict(list)
        customers: dict[str, str] = {}
        touchpoints: dict[str, str] = {}
        for claim, kind, at, customer, touchpoint in rows:
            if kind == contact:
                contacts[claim].append(at)
                customers[claim] = customer or customers.get(claim, "")
                touchpoints[claim] = touchpoint or touchpoints.get(claim, "")
            else:
                resolutions[claim].append(at)
        signals = []
        for claim in sorted(contacts):
            n = unresolved_streak(contacts[claim], resolutions[claim], window)
            if n < needed:
                continue
            customer, touchpoint = customers.get(claim, ""), touchpoints.get(claim, "")
            signals.append(
                Signal(
                    subject_type="claim",
                    subject_id=claim,
                    title=Message(
                        gettext_noop("Claim %(claim)s: %(n)s calls in %(days)s days without resolution"),
                        claim=claim,
                        n=n,
                        days=int(window.days),
                    ),
                    customer_ref=customer,
                    touchpoint=touchpoint if self.applies(config, touchpoint) else "",
                    detail={"claim_no": claim, "contacts": n},
                )
            )
        return signals
