"""Who may see and change rectifications: supervisors, quality managers and admins, within their subtree;
the owner of one sees it and may move it along wherever it was opened. The one place permission on a
rectification is decided."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amends.accounts.access import SEES_INSIGHTS, can, in_scope
from amends.accounts.models import User
from amends.core.errors import Forbidden, NotFound

from .models import Rectification

RECTIFIES = SEES_INSIGHTS


def access_rectification(actor: User, rectification_id: int, *, for_update: bool = False) -> Rectification:
    qs = Rectification.objects.select_related("touchpoint__journey", "owner", "org_unit")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.filter(pk=rectification_id).first()
    if found is None or not (in_scope(actor, found.org_unit_id) or found.owner_id == actor.pk):
        raise NotFound(_("No such rectification in your organisation."))
    if not can(actor, RECTIFIES) and found.owner_id != actor.pk:
        raise Forbidden(_("Your role does not allow this."))
    return found
