"""Who may do what, and over which part of the organisation.

Roles grant capabilities; org scope limits them to the actor's own subtree (a branch sees its own
branches and outlets only; the head office sees everything). Each object kind has one access helper in
its own app (`access_case`, `access_customer`…) built on `in_scope`/`scope_filter` below; no view or API
handler decides permission by itself.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amends.core.errors import Forbidden

from .models import OrgUnit, Role, User

# Capabilities by role. Contact details are shown in full only to roles that call customers back.
RECEIVES_COMPLAINTS = {Role.FRONTLINE, Role.HANDLER, Role.SUPERVISOR, Role.ADMIN}
WORKS_CASES = {Role.FRONTLINE, Role.HANDLER, Role.SUPERVISOR, Role.ADMIN}
ASSIGNS_CASES = {Role.SUPERVISOR, Role.ADMIN}
APPROVES_EXTENSIONS = {Role.SUPERVISOR, Role.SENIOR_MANAGER, Role.ADMIN}
# A further (level-2) extension and a review (核查): the superior institution's people or head-office seniors.
SENIOR_MANAGEMENT = {Role.SENIOR_MANAGER}
SEES_CONTACTS = {Role.HANDLER, Role.SUPERVISOR, Role.ADMIN}
OWNS_CASES = {Role.HANDLER, Role.SUPERVISOR}
# Dashboards and reports: the people who watch quality over many cases.
SEES_INSIGHTS = {Role.SUPERVISOR, Role.QUALITY_MANAGER, Role.ADMIN}
# Discretion (应变权): who may be an approver up the line, who sets policy (the equal-treatment report is an insight).
APPROVES_DISCRETION = {Role.SUPERVISOR, Role.ADMIN}
SETS_AUTHORITY = {Role.QUALITY_MANAGER, Role.ADMIN}
EDITS_LEXICON = {Role.QUALITY_MANAGER, Role.ADMIN}  # the escalation flags' terms (text)


def can(actor: User, capability: Collection[str]) -> bool:
    return bool(actor.is_active and actor.role in capability)


def require(actor: User, capability: Collection[str]) -> None:
    if not can(actor, capability):
        raise Forbidden(_("Your role does not allow this."))


# Subtrees are read on nearly every request and change only when units are added or moved: kept in process
# for a minute, cleared at once by OrgUnit.save() in this process.
SUBTREE_TTL = 60.0
_subtrees: dict[str, tuple[float, list[int]]] = {}


def forget_subtrees() -> None:
    _subtrees.clear()


def subtree_ids(unit: OrgUnit) -> list[int]:
    hit = _subtrees.get(unit.path)
    now = time.monotonic()
    if hit is not None and now - hit[0] < SUBTREE_TTL:
        return hit[1]
    ids = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
    _subtrees[unit.path] = (now, ids)
    return ids


def scope_unit_ids(actor: User) -> list[int] | None:
    """Ids of the org units the actor sees, or None for everything (head office, or an admin without a unit)."""
    if hasattr(actor, "_scope_unit_ids"):
        cached: list[int] | None = actor._scope_unit_ids
        return cached
    unit = actor.org_unit
    ids: list[int] | None
    if unit is None:
        ids = None if actor.role == Role.ADMIN else []
    elif unit.parent_id is None:
        ids = None
    else:
        ids = subtree_ids(unit)
    actor._scope_unit_ids = ids  # type: ignore[attr-defined]
    return ids


def in_scope(actor: User, org_unit_id: int | None) -> bool:
    ids = scope_unit_ids(actor)
    return ids is None or org_unit_id in ids


def scope_filter(qs: QuerySet[Any], actor: User, field: str = "org_unit") -> QuerySet[Any]:
    ids = scope_unit_ids(actor)
    return qs if ids is None else qs.filter(**{f"{field}_id__in": ids})
