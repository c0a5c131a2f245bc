"""The one place that decides whether an actor may see a promise (the org scope of its customer)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amends.accounts.access import in_scope
from amends.accounts.models import User
from amends.core.errors import NotFound

from .models import Promise


def access_promise(actor: User, promise_id: int, *, for_update: bool = False) -> Promise:
    qs: QuerySet[Promise] = Promise.objects.select_related("customer", "case")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    promise = qs.filter(pk=promise_id).first()
    if promise is None or not in_scope(actor, promise.customer.org_unit_id):
        raise NotFound(_("No such promise."))
    return promise
