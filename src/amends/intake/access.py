"""The one place that decides whether an actor may see a complaint (the org scope of its case)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amends.accounts.access import in_scope
from amends.accounts.models import User
from amends.core.errors import NotFound

from .models import Complaint


def access_complaint(actor: User, complaint_id: int, *, for_update: bool = False) -> Complaint:
    qs = Complaint.objects.select_related("case")
    if for_update:
        qs = qs.select_for_update()
    complaint = qs.filter(pk=complaint_id).first()
    if complaint is None or not in_scope(actor, complaint.case.org_unit_id):
        raise NotFound(_("No such complaint."))
    return complaint
