"""Who owns a case: the assignment rule (`rules.choose_owner`: the nearest handler up the org tree, then the
lightest open workload) over the handlers above the case's unit, never one the case complains about (回避)."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from amends.accounts.models import OrgUnit, Role, User
from amends.accounts.tree import Ancestry
from amends.core import batch

from .. import rules
from ..models import Case, OwnerLoad


def _user_columns() -> list[str]:
    return [f.attname for f in User._meta.concrete_fields]


def candidates(unit: OrgUnit, excluded: set[int]) -> QuerySet[Any]:
    """The handlers up the tree from `unit` with their open-case count, as `.values()` rows (to read alone or
    with other reads, `core.batch.read`).

    The count is the sum of the handler's `OwnerLoad` slots, which database triggers keep
    (`recovery.owner_load`): a few rows per handler, whatever the number of cases. Nobody counted yet: 0.
    """
    load = (
        OwnerLoad.objects.filter(owner_id=OuterRef("pk"))
        .order_by()
        .values("owner_id")
        .annotate(n=Sum("open_cases"))
        .values("n")
    )
    staff = Ancestry.of(unit).staff({Role.HANDLER}, exclude=excluded)
    return staff.annotate(open_cases=Coalesce(Subquery(load), 0)).values(*_user_columns(), "open_cases")


_kept: dict[tuple[tuple[int, ...], frozenset[int]], batch.Kept] = {}
_kept_lock = threading.Lock()


def candidates_kept(unit: OrgUnit, excluded: set[int]) -> batch.Kept:
    """`candidates` compiled once per process for each line of units up the tree (and set of excluded
    people): its SQL holds nothing else that changes (who is active, their roles and open cases are read by
    it), and a complaint's case read includes it every time."""
    key = (tuple(unit.ancestor_ids()), frozenset(excluded))
    with _kept_lock:
        found = _kept.get(key)
        if found is None:
            if len(_kept) >= 4096:
                _kept.clear()
            found = _kept[key] = batch.Kept(candidates(unit, excluded))
    return found


def choose(unit: OrgUnit, rows: list[dict[str, Any]], excluded: set[int]) -> User | None:
    """The assignment rule over `candidates`' rows; the owner as a whole `User`."""
    up = Ancestry.of(unit)
    found = [rules.Candidate(r["id"], up.distance(r["org_unit_id"]), r["open_cases"]) for r in rows]
    chosen = rules.choose_owner(found, excluded)
    if chosen is None:
        return None
    row = next(r for r in rows if r["id"] == chosen)
    columns = _user_columns()
    return User.from_db(connection.alias, columns, [row[f] for f in columns])


def pick_owner(case: Case, excluded: set[int]) -> User | None:
    """The assignment rule over the handlers up the org tree, each with their open-case count (one query)."""
    return choose(case.org_unit, list(candidates(case.org_unit, excluded)), excluded)
