"""The one place that decides whether an actor may see a recovery case (org scope)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amends.accounts.access import in_scope
from amends.accounts.models import User
from amends.core.errors import NotFound

from .models import Case


def access_case(actor: User, case_id: int) -> Case:
    case = (
        Case.objects.select_related("customer", "owner", "touchpoint__journey", "org_unit").filter(pk=case_id).first()
    )
    if case is None or not in_scope(actor, case.org_unit_id):
        raise NotFound(_("No such case."))
    return case
