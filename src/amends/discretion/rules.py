"""The decisions of 应变权 on plain values: no ORM, no settings, no clock (services pass them in).

- `decide`: granted at once when the amount is within the asker's per-action limit and both budgets, AND
  (the customer is not at fault OR it costs nothing extra), AND no law or regulation is breached. A breach
  is refused outright; everything else goes for approval. Every reason that applied is returned.
- `effective_policy`: a role's authority in a unit is the newest effective version of the nearest unit's
  policy up the tree (a unit's policy covers its subtree unless a nearer unit has its own).
- `route`: the nearest superior up the org tree whose authority covers the request.
- `add_working_hours`: the approval deadline on the working calendar (`core.calendar`, shared with intake).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from amends.core import calendar

GRANTED, REFUSED, APPROVAL = "granted", "refused", "pending_approval"

# Reason codes (the pages and the API translate them).
BREACH = "breach"
NO_AUTHORITY = "no_authority"
OVER_LIMIT = "over_limit"
ACTOR_BUDGET = "actor_budget"
UNIT_BUDGET = "unit_budget"
AT_FAULT_AND_COSTLY = "at_fault_and_costly"
WITHIN_AUTHORITY = "within_authority"


@dataclass(frozen=True)
class Authority:
    per_action: Decimal
    actor_budget: Decimal | None = None  # None: no budget per person
    unit_budget: Decimal | None = None  # None: no budget per unit


@dataclass(frozen=True)
class Decision:
    outcome: str
    reasons: tuple[str, ...]


def over_authority(
    authority: Authority | None, amount: Decimal, spent_actor: Decimal, spent_unit: Decimal
) -> list[str]:
    """Why `amount` is beyond this authority given what was spent this period; empty when it is within."""
    if authority is None:
        return [NO_AUTHORITY]
    reasons = []
    if amount > authority.per_action:
        reasons.append(OVER_LIMIT)
    if authority.actor_budget is not None and spent_actor + amount > authority.actor_budget:
        reasons.append(ACTOR_BUDGET)
    if authority.unit_budget is not None and spent_unit + amount > authority.unit_budget:
        reasons.append(UNIT_BUDGET)
    return reasons


def covers(authority: Authority | None, amount: Decimal, spent_actor: Decimal, spent_unit: Decimal) -> bool:
    return not over_authority(authority, amount, spent_actor, spent_unit)


def decide(
    *,
    amount: Decimal,
    customer_at_fault: bool,
    extra_cost: bool,
    breaches_regulation: bool,
    authority: Authority | None,
    spent_actor: Decimal,
    spent_unit: Decimal,
) -> Decision:
    if breaches_regulation:
        return Decision(REFUSED, (BREACH,))
    reasons = over_authority(authority, amount, spent_actor, spent_unit)
    if customer_at_fault and extra_cost:
        reasons.append(AT_FAULT_AND_COSTLY)
    if reasons:
        return Decision(APPROVAL, tuple(reasons))
    return Decision(GRANTED, (WITHIN_AUTHORITY,))


# Effective policies.


@dataclass(frozen=True)
class PolicyRow:
    id: int
    org_unit_id: int
    version: int
    effective_from: datetime
    authority: Authority
    period: str


def effective_policy(rows: Iterable[PolicyRow], chain: Sequence[int], now: datetime) -> PolicyRow | None:
    """`chain` is the unit's own id first, then each parent; rows are one role's policies for one kind."""
    newest: dict[int, PolicyRow] = {}
    for row in rows:
        if row.effective_from > now:
            continue
        best = newest.get(row.org_unit_id)
        if best is None or (row.effective_from, row.version) > (best.effective_from, best.version):
            newest[row.org_unit_id] = row
    return next((newest[unit] for unit in chain if unit in newest), None)


def period_start(local_now: datetime, period: str) -> datetime:
    """Local midnight starting the budget period (calendar month, quarter or year) that holds `local_now`."""
    first_month = {"month": local_now.month, "quarter": 3 * ((local_now.month - 1) // 3) + 1, "year": 1}[period]
    return local_now.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)


# Routing approvals.


@dataclass(frozen=True)
class Candidate:
    user_id: int
    username: str
    distance: int  # 0: the asker's own unit, 1: its parent…
    rank: int  # how senior the role is (see services.RANK)
    covers: bool


def route(candidates: Iterable[Candidate], *, asker_id: int | None, asker_rank: int) -> Candidate | None:
    """The nearest superior whose authority covers the request: in the asker's own unit only a more senior
    role is a superior; any approver in a unit above is. Nearer units first; in one unit the less senior
    superior first (the nearer one); then by username, so the choice is stable."""
    eligible = [
        c
        for c in candidates
        if c.user_id != asker_id and c.covers and (c.distance > 0 or c.rank > asker_rank) and c.distance >= 0
    ]
    eligible.sort(key=lambda c: (c.distance, c.rank, c.username))
    return eligible[0] if eligible else None


# The working calendar is shared with the regulatory clock: `core.calendar`.
WorkingCalendar = calendar.WorkingCalendar
add_working_hours = calendar.add_working_hours
