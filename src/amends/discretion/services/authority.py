"""Whose authority decides, and how much of it is left: effective policies, budgets summed from the ledger,
the row locks that serialise spending, routing up the org tree, the working calendar, and setting policy.

Budgets are read only after `lock_budgets` has locked the deciding unit's and person's rows, so two requests
drawing on one budget at once are decided one after the other and can never together exceed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.access import APPROVES_DISCRETION, SETS_AUTHORITY, in_scope, require
from amends.accounts.models import OrgUnit, Role, User
from amends.accounts.tree import Ancestry
from amends.core import audit, calendar, clock
from amends.core.errors import Conflict, InvalidInput

from .. import rules
from ..models import SPENDING, AuthorityPolicy, Kind, LedgerEntry, Period, PolicyRole

# How senior a role is when routing: within one unit only a more senior role is a superior.
RANK: dict[str, int] = {Role.FRONTLINE: 0, Role.HANDLER: 0, Role.QUALITY_MANAGER: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}

POLICY_AUDIT_FIELDS = [
    "role",
    "org_unit",
    "kind",
    "version",
    "effective_from",
    "per_action_limit",
    "actor_budget",
    "unit_budget",
    "period",
]


def _row(p: AuthorityPolicy) -> rules.PolicyRow:
    return rules.PolicyRow(
        id=p.pk,
        org_unit_id=p.org_unit_id,
        version=p.version,
        effective_from=p.effective_from,
        authority=rules.Authority(p.per_action_limit, p.actor_budget, p.unit_budget),
        period=p.period,
    )


def policies_in_chain(
    *, kind: str, roles: set[str], chain: list[int], now: datetime
) -> dict[str, list[rules.PolicyRow]]:
    """Every effective version of the roles' policies for `kind` on the chain, in one query."""
    rows = AuthorityPolicy.objects.filter(kind=kind, role__in=roles, org_unit_id__in=chain, effective_from__lte=now)
    out: dict[str, list[rules.PolicyRow]] = {r: [] for r in roles}
    for p in rows:
        out[p.role].append(_row(p))
    return out


@dataclass(frozen=True)
class Standing:
    """An authority as it stands now: the policy version and what was spent of its budgets this period."""

    policy: rules.PolicyRow | None
    spent_actor: Decimal
    spent_unit: Decimal

    @property
    def authority(self) -> rules.Authority | None:
        return self.policy.authority if self.policy else None

    def over(self, amount: Decimal) -> list[str]:
        return rules.over_authority(self.authority, amount, self.spent_actor, self.spent_unit)


def spent(*, actor_id: int | None, unit_id: int, role: str, kind: str, since: datetime) -> tuple[Decimal, Decimal]:
    """Granted or approved this period of `kind`: by the person, and under `role` in the unit (from the ledger)."""
    spending = LedgerEntry.objects.filter(outcome__in=SPENDING, kind=kind, at__gte=since)
    by_actor = Decimal("0")
    if actor_id is not None:
        by_actor = spending.filter(actor_id=actor_id).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    by_unit = spending.filter(org_unit_id=unit_id, role=role).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return by_actor, by_unit


def standing(
    *, actor_id: int | None, role: str, unit_id: int, kind: str, now: datetime, chain: list[int] | None = None
) -> Standing:
    chain = chain or Ancestry.of(unit_id).ids
    rows = policies_in_chain(kind=kind, roles={role}, chain=chain, now=now)[role]
    policy = rules.effective_policy(rows, chain, now)
    if policy is None:
        return Standing(None, Decimal("0"), Decimal("0"))
    since = rules.period_start(timezone.localtime(now), policy.period)
    by_actor, by_unit = spent(actor_id=actor_id, unit_id=unit_id, role=role, kind=kind, since=since)
    return Standing(policy, by_actor, by_unit)


def lock_budgets(unit_id: int, actor_id: int | None) -> None:
    """Lock the unit's row, then the person's, for the rest of the transaction (always in this order, so two
    deciders never wait on each other). FOR NO KEY UPDATE leaves inserts that merely refer to these rows
    (a new case of the unit) unblocked. On SQLite the IMMEDIATE transaction already serialises writers."""
    if connection.vendor != "postgresql":
        return
    list(OrgUnit.objects.select_for_update(no_key=True).filter(pk=unit_id).values_list("pk", flat=True))
    if actor_id is not None:
        list(User.objects.select_for_update(no_key=True).filter(pk=actor_id).values_list("pk", flat=True))


def route(*, kind: str, amount: Decimal, from_user: User, now: datetime) -> tuple[User, Standing] | None:
    """The nearest superior of `from_user` up the org tree whose authority covers `amount` of `kind` now."""
    assert from_user.org_unit_id is not None
    up = Ancestry.of(from_user.org_unit_id)
    people = list(up.staff(APPROVES_DISCRETION, exclude={from_user.pk}))
    policies = policies_in_chain(kind=kind, roles={u.role for u in people}, chain=up.ids, now=now)
    asker_rank = RANK.get(from_user.role, 0)
    candidates, standings = [], {}
    for user in people:
        distance = up.distance(user.org_unit_id)
        rank = RANK.get(user.role, 0)
        if distance == 0 and rank <= asker_rank:
            continue
        policy = rules.effective_policy(policies[user.role], up.ids[distance:], now)
        if policy is None:
            continue
        since = rules.period_start(timezone.localtime(now), policy.period)
        by_actor, by_unit = spent(actor_id=user.pk, unit_id=user.org_unit_id, role=user.role, kind=kind, since=since)  # type: ignore[arg-type]
        standings[user.pk] = Standing(policy, by_actor, by_unit)
        candidates.append(rules.Candidate(user.pk, user.username, distance, rank, not standings[user.pk].over(amount)))
    chosen = rules.route(candidates, asker_id=from_user.pk, asker_rank=asker_rank)
    if chosen is None:
        return None
    return next(u for u in people if u.pk == chosen.user_id), standings[chosen.user_id]


def approval_due(now: datetime) -> datetime:
    return rules.add_working_hours(timezone.localtime(now), settings.AMENDS_APPROVAL_HOURS, calendar.working_calendar())


def _money(value: object, name: str, errors: dict[str, list[str]], *, optional: bool = False) -> Decimal | None:
    if value is None or value == "":
        if not optional:
            errors[name] = [_("This field is required.")]
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        errors[name] = [_("Enter an amount, e.g. 300.00.")]
        return None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2 or amount >= Decimal("1e10"):  # type: ignore[operator]
        errors[name] = [_("Enter an amount in yuan of at least 0, with at most two decimals.")]
        return None
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def policy_set(
    *,
    actor: User,
    role: str,
    org_unit_id: int,
    kind: str,
    per_action_limit: object,
    actor_budget: object = None,
    unit_budget: object = None,
    period: str = Period.MONTH,
    effective_from: datetime | None = None,
    note: str = "",
) -> AuthorityPolicy:
    """A new version of a role's authority in a unit (quality managers and admins, in their own scope)."""
    require(actor, SETS_AUTHORITY)
    now = clock.now()
    errors: dict[str, list[str]] = {}
    if role not in PolicyRole.values:
        errors["role"] = [_("Unknown role “%(value)s”.") % {"value": role}]
    if kind not in Kind.values:
        errors["kind"] = [_("Unknown kind “%(value)s”.") % {"value": kind}]
    if period not in Period.values:
        errors["period"] = [_("Choose month, quarter or year.")]
    unit = OrgUnit.objects.filter(pk=org_unit_id).first()
    if unit is None or not in_scope(actor, unit.pk):
        errors["org_unit"] = [_("No such org unit in your organisation.")]
    limit = _money(per_action_limit, "per_action_limit", errors)
    by_actor = _money(actor_budget, "actor_budget", errors, optional=True)
    by_unit = _money(unit_budget, "unit_budget", errors, optional=True)
    starts = effective_from or now
    if starts.tzinfo is None:
        errors["effective_from"] = [_("Give the time with its UTC offset, e.g. 2026-11-01T09:30:00+08:00.")]
    elif starts < now:
        errors["effective_from"] = [
            _("A policy cannot take effect in the past: the ledger was decided by the old one.")
        ]
    if errors:
        raise InvalidInput(_("The policy was not saved: please correct the marked fields."), fields=errors)
    assert unit is not None and limit is not None
    lock_budgets(unit.pk, None)
    latest = AuthorityPolicy.objects.filter(role=role, org_unit=unit, kind=kind).aggregate(v=Max("version"))["v"]
    try:
        with transaction.atomic():
            policy = AuthorityPolicy.objects.create(
                role=role,
                org_unit=unit,
                kind=kind,
                version=(latest or 0) + 1,
                effective_from=starts,
                per_action_limit=limit,
                actor_budget=by_actor,
                unit_budget=by_unit,
                period=period,
                note=note.strip(),
                created_by=actor,
                created_at=now,
            )
    except IntegrityError as exc:
        raise Conflict(_("Someone else changed this policy at the same moment. Try again."), code="conflict") from exc
    audit.record(
        audit.entry(actor=actor, action="policy.set", obj=policy, after=audit.snapshot(policy, POLICY_AUDIT_FIELDS))
    )
    return policy
