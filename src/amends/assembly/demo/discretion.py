"""Demo authority (应变权): the insurer's policies, a year of compensation on the cases' atonement steps, and
approvals waiting on supervisors today.

- Policies, in force from the demo's epoch: front-line staff and handlers ¥500 a time (budgets per person
  and per outlet), supervisors ¥5,000, provincial branch heads (the `gd_supervisor`-style 客服部经理)
  ¥20,000, the head office ¥100,000; the system's token of thanks ¥50 a time.
- History: when a case's owner records an atonement, the compensation it describes (a fuel card, a health
  check at home…) is asked for through `discretion.services` at that moment. It does not depend on the
  customer's segment, so the equal-treatment report shows every segment treated alike. Above the owner's
  authority the approval is answered two hours later; one in seven is rejected with a reason.
- Today: three requests from yesterday wait on supervisors; one was due yesterday and the worker's first
  sweep escalates it, as it would in production.
No random stream: what is asked follows from the (seeded) atonement notes and the case ids.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from amends.accounts.models import OrgUnit, User
from amends.core import clock
from amends.discretion import services
from amends.discretion.models import Approval, Kind
from amends.recovery.models import IS_OPEN, Case

from .org import CITIES

# (kind, amount in yuan) of what each atonement note in `notes.ATONEMENT` gives, by its first words.
ATONEMENT_VALUE = (
    ("赠送{title}价值200元的加油卡", Kind.VOUCHER, "200"),
    ("为{title}免费升级一年道路救援", Kind.UPGRADE, "280"),
    ("赠送洗车券5张", Kind.VOUCHER, "150"),
    ("为{title}安排一次免费上门体检", Kind.UPGRADE, "680"),
    ("寄送总经理致歉信和一份小礼品", Kind.VOUCHER, "120"),
    ("赠送本保单年度内免费代驾服务3次", Kind.UPGRADE, "450"),
    ("为{title}续保时办理VIP快速理赔通道", Kind.RULE_EXCEPTION, "0"),
)
STAFF_KINDS = tuple(Kind)

# (role, unit code, per action, budget per person, budget per unit) for every kind of discretion. A unit's
# policy covers its subtree unless a nearer unit has its own: the provincial branch heads' ¥20,000 would
# reach the city supervisors below them, so each city branch states its supervisors' ¥5,000 itself.
CITY_SUPERVISOR = ("5000", "50000", None)
POLICIES = (
    ("frontline", "HO", "500", "3000", "20000"),
    ("handler", "HO", "500", "5000", "30000"),
    ("supervisor", "HO", *CITY_SUPERVISOR),
    *(("supervisor", province, "20000", "200000", None) for province in ("GD", "BJ", "JS", "SC")),
    *(("supervisor", c.code, *CITY_SUPERVISOR) for c in CITIES),
    ("admin", "HO", "100000", None, None),
)


def seed_policies(*, admin: User, units: dict[str, OrgUnit], at: datetime) -> int:
    made = 0
    with clock.frozen(at):
        for role, unit, limit, per_person, per_unit in POLICIES:
            for kind in STAFF_KINDS:
                services.policy_set(
                    actor=admin,
                    role=role,
                    org_unit_id=units[unit].pk,
                    kind=kind,
                    per_action_limit=limit,
                    actor_budget=per_person,
                    unit_budget=per_unit,
                    note="演示：初始授权",
                )
                made += 1
        services.policy_set(
            actor=admin,
            role="system",
            org_unit_id=units["HO"].pk,
            kind=Kind.VOUCHER,
            per_action_limit="50",
            unit_budget="5000",
            note="演示：投诉人致谢小礼",
        )
    return made + 1


def value_of(note: str, title: str) -> tuple[str, Decimal] | None:
    for start, kind, amount in ATONEMENT_VALUE:
        if note.startswith(start.format(title=title)):
            return kind, Decimal(amount)
    return None


def atone(*, case_id: int, actor: User, note: str, title: str, at: datetime) -> None:
    """Ask for what an atonement note gives, at its moment; an approval is answered two hours later."""
    value = value_of(note, title)
    if value is None:
        return
    kind, amount = value
    request = services.discretion_request(
        actor=actor,
        case_id=case_id,
        kind=kind,
        amount=amount,
        reason=note,
        customer_at_fault=False,
        extra_cost=amount > 0,
        breaches_regulation=False,
    )
    approval: Approval | None = request.approval  # type: ignore[attr-defined]
    if approval is None:
        return
    with clock.frozen(at + timedelta(hours=2)):
        if case_id % 7 == 0:
            services.approval_decide(
                actor=approval.approver,
                approval_id=approval.pk,
                decision="reject",
                note="超出本次事件的补偿标准，请改为赠送洗车券并当面致歉。",
            )
        else:
            services.approval_decide(
                actor=approval.approver, approval_id=approval.pk, decision="approve", note="同意，请尽快落实。"
            )


def seed_waiting(*, staff: dict[str, User], today: datetime) -> int:
    """Requests from yesterday that wait on supervisors today (the S-SALVAGE case is left for a live demo)."""
    yesterday = today - timedelta(days=1)
    frontline, handler = staff["frontline"], staff["handler"]
    outlet = Case.objects.filter(IS_OPEN, org_unit=frontline.org_unit, opened_at__lt=yesterday).order_by("id")
    city = Case.objects.filter(IS_OPEN, org_unit=handler.org_unit, opened_at__lt=yesterday).order_by("id")
    salvage = Case.objects.filter(touchpoint__code="auto_claim.salvage", customer__customer_no="C00000002")
    auto = outlet.exclude(pk__in=salvage).filter(touchpoint__code__startswith="auto_claim.")
    asks = [
        (frontline, auto.first(), "15:10", Kind.CASH, "3000", "车辆维修期间的代步车费用由客户垫付，按实际票据补偿。"),
        (
            handler,
            city.first(),
            "16:20",
            Kind.PREMIUM_DISCOUNT,
            "1200",
            "连续三次理赔延误，续保时给予保费优惠作为补偿。",
        ),
        (
            handler,
            city[1:2].first(),
            "10:05",
            Kind.CASH,
            "12000",
            "理赔一再延误造成客户的实际经济损失，凭票据一次性补偿。",
        ),
    ]
    made = 0
    for actor, case, hhmm, kind, amount, reason in asks:
        if case is None:
            continue
        hours, minutes = (int(x) for x in hhmm.split(":"))
        with clock.frozen(yesterday + timedelta(hours=hours, minutes=minutes)):
            services.discretion_request(
                actor=actor,
                case_id=case.pk,
                kind=kind,
                amount=amount,
                reason=reason,
                customer_at_fault=False,
                extra_cost=True,
                breaches_regulation=False,
            )
        made += 1
    return made
