"""How customers look to staff: contact details in full only for roles that call customers back."""

from __future__ import annotations

from typing import Any

from amends.accounts.access import SEES_CONTACTS, can
from amends.accounts.models import User

from .models import Customer


def masked_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    keep = 3 if len(digits) >= 11 else 1
    return digits[:keep] + "*" * (len(digits) - keep - 4) + digits[-4:]


def masked_email(email: str) -> str:
    if "@" not in email:
        return "*" * len(email)
    local, domain = email.split("@", 1)
    return (local[:1] + "***@" + domain) if local else "***@" + domain


def contact(actor: User, customer: Customer) -> dict[str, Any]:
    full = can(actor, SEES_CONTACTS)
    return {
        "phone": customer.phone if full else masked_phone(customer.phone),
        "email": customer.email if full else masked_email(customer.email),
        "masked": not full,
    }


def customer_brief(actor: User, customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "customer_no": customer.customer_no,
        "name": customer.name,
        "segment": customer.segment,
        "value": str(customer.value),
        "imported_from": customer.source or None,
        **contact(actor, customer),
    }
