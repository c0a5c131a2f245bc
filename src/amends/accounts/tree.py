"""Up the org tree: a unit's ancestors, nearest first, each with its distance, and the staff found on the way.

Work that escalates goes to the nearest unit up the tree with someone fit for it: a case's owner (recovery),
the approver of discretion (discretion), the supervisor paged for a customer in distress (text). Each keeps
its own rule for who wins among the candidates; this module only walks the tree (reads, no writes). The
other direction, a unit's subtree for scoping, is in `accounts.access`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import QuerySet

from .models import OrgUnit, User


class Ancestry:
    """A unit's id, then each parent's up to the head office; a unit's distance is its place in that line
    (0: the unit itself, 1: its parent…)."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        self._distance = {unit_id: i for i, unit_id in enumerate(ids)}

    @classmethod
    def of(cls, unit: OrgUnit | int) -> Ancestry:
        """From the unit's path: no query for a unit at hand, one for an id."""
        if isinstance(unit, int):
            unit = OrgUnit.objects.only("path").get(pk=unit)
        return cls(unit.ancestor_ids())

    def distance(self, unit_id: int | None) -> int:
        """How far up `unit_id` is; only for units of this line, such as those of `staff()`."""
        return self._distance[unit_id or 0]

    def staff(self, roles: Collection[str], *, exclude: Iterable[int] = ()) -> QuerySet[User]:
        """Active staff with one of `roles` in the unit or any unit above it, except the ids in `exclude`."""
        found = User.objects.filter(role__in=roles, is_active=True, org_unit_id__in=self.ids)
        excluded = set(exclude)
        return found.exclude(pk__in=excluded) if excluded else found

    def nearest(self, people: Iterable[User]) -> User | None:
        """The one closest up the tree; on a tie between units the lowest id, so the choice is repeatable."""
        return min(people, key=lambda u: (self.distance(u.org_unit_id), u.pk), default=None)


def nearest_staff(unit: OrgUnit, role: str, *, exclude: Iterable[int] = ()) -> User | None:
    """The active staff member with `role` nearest to `unit` up the tree (one query)."""
    up = Ancestry.of(unit)
    return up.nearest(up.staff({role}, exclude=exclude))
