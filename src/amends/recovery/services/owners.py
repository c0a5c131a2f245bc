"""Who owns a case: the assignment rule (`rules.choose_owner`: the nearest handler up the org tree, then the
lightest open workload) over the handlers above the case's unit, never one the case complains about (回避)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from amends.accounts.models import Role, User
from amends.accounts.tree import Ancestry

from .. import rules
from ..models import IS_OPEN, Case


def pick_owner(case: Case, excluded: set[int]) -> User | None:
    """The assignment rule over the handlers up the org tree, each with their open-case count.

    One query: the count is a correlated subquery per handler over the partial index of open cases by
    owner, counting the indexed column so it stays index-only (a few hundred microseconds at 1M cases).
    """
    up = Ancestry.of(case.org_unit)
    open_cases = (
        Case.objects.filter(IS_OPEN, owner_id=OuterRef("pk"))
        .order_by()
        .values("owner_id")
        .annotate(n=Count("owner_id"))
        .values("n")
    )
    handlers = {
        h.pk: h
        for h in up.staff({Role.HANDLER}, exclude=excluded).annotate(open_cases=Coalesce(Subquery(open_cases), 0))
    }
    candidates = [rules.Candidate(h.pk, up.distance(h.org_unit_id), h.open_cases) for h in handlers.values()]
    chosen = rules.choose_owner(candidates, excluded)
    return handlers[chosen] if chosen is not None else None
