"""Fact mismatch: two sources disagree on a customer-facing fact for the same claim.

The seed's ¥300 case: the claims system requires a salvage part to be returned (`salvage.required`,
attributes `{"part": …, "amount": …}`) that the parts list handed to the customer (`parts_list.issued`,
attributes `{"salvage_parts": [...]}`) does not name; the customer returns what the list says and is then
docked for the missing part. Caught on ingest, before payment, once the list has been issued. Params:
`required_type`, `listed_type` (the defaults above).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_noop

from amends.core.texts import Message

from ..models import Event, RuleConfig
from ..validation import Row
from . import Rule, Signal, register


def _names(value: object) -> set[str]:
    if isinstance(value, str):
        return {value.strip()} if value.strip() else set()
    if isinstance(value, list):
        return {v.strip() for v in value if isinstance(v, str) and v.strip()}
    return set()


def missing_parts(required: dict[str, Decimal], listed: set[str]) -> dict[str, Decimal]:
    """The parts the claims system requires back that the customer's list does not name."""
    return {part: amount for part, amount in required.items() if part not in listed}


@register
class FactMismatch(Rule):
    code = "fact_mismatch"
    on_events = True
    dimension, gap = "competence", 2

    def on_ingest(self, config: RuleConfig, events: Sequence[Row], now: datetime) -> list[Signal]:
        required_type = self.param(config, "required_type", "salvage.required")
        listed_type = self.param(config, "listed_type", "parts_list.issued")
        claims = {e.claim_no for e in events if e.claim_no and e.type in (required_type, listed_type)}
        if not claims:
            return []
        rows = (
            Event.objects.filter(claim_no__any=claims, type__any=[required_type, listed_type])
            .order_by("occurred_at")
            .values_list("claim_no", "type", "attributes", "customer_ref", "touchpoint")
        )
        required: dict[str, dict[str, Decimal]] = defaultdict(dict)
        listed: dict[str, set[str]] = defaultdict(set)
        issued: set[str] = set()
        customers: dict[str, str] = {}
        for claim, kind, attributes, customer, _tp in rows:
            attributes = attributes or {}
            if customer:
                customers[claim] = customer
            if kind == required_type:
                for part in _names(attributes.get("part")) | _names(attributes.get("parts")):
                    try:
                        required[claim][part] = Decimal(str(attributes.get("amount", "0")))
                    except InvalidOperation:
                        required[claim][part] = Decimal("0")
            else:
                issued.add(claim)
                listed[claim] |= _names(attributes.get("salvage_parts"))
        signals = []
        for claim in sorted(issued & set(required)):
            missing = missing_parts(required[claim], listed[claim])
            if not missing:
                continue
            amount = sum(missing.values(), Decimal("0"))
            signals.append(
                Signal(
                    subject_type="claim",
                    subject_id=claim,
                    title=Message(
                        gettext_noop(
                            "Claim %(claim)s: the claims system requires %(parts)s back, the customer's parts list "
                            "does not name it (¥%(amount)s at stake)"
                        ),
                        claim=claim,
                        parts="、".join(sorted(missing)),
                        amount=f"{amount:.2f}",
                    ),
                    customer_ref=customers.get(claim, ""),
                    detail={"claim_no": claim, "parts": sorted(missing), "amount": f"{amount:.2f}"},
                )
            )
        return signals
