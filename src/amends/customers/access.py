"""The one place that decides whether an actor may see a customer (org scope)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amends.accounts.access import in_scope
from amends.accounts.models import User
from amends.core.errors import NotFound

from .models import Customer


def access_customer(actor: User, customer_id: int) -> Customer:
    customer = Customer.objects.select_related("org_unit").filter(pk=customer_id).first()
    # Out of scope looks exactly like absent, so ids of other branches' customers leak nothing.
    if customer is None or not in_scope(actor, customer.org_unit_id):
        raise NotFound(_("No such customer."))
    return customer
