"""A small, hand-countable use of discretion (应变权) for the `discretion` report and the compensation beside
retention, made through the real services (`intake.services.complaint_receive`, `discretion.services`) with
the clock set to each moment. Period under test: 2026-09-01 … 2026-10-31 (the `now` fixture: 2026-11-02).

How the cases ended is written onto the cases directly: closing a case properly takes the five steps and a
follow-up, which the recovery app's own tests cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from amends.assembly.testing import World, at, receive
from amends.core import clock
from amends.discretion import services
from amends.discretion.models import DiscretionRequest
from amends.discretion.tests.helpers import set_policies
from amends.recovery.models import Case, CaseStatus

PERIOD = {"since": "2026-09-01", "until": "2026-10-31"}


@dataclass
class Spend:
    cases: dict[str, Case]
    requests: dict[str, DiscretionRequest]


def _ask(actor, case: Case, when: str, kind: str, amount: str, *, breach: bool = False) -> DiscretionRequest:
    with clock.frozen(at(when)):
        return services.discretion_request(
            actor=actor,
            case_id=case.pk,
            kind=kind,
            amount=amount,
            reason="换件清单未注明须交残，不应扣残值。",
            customer_at_fault=False,
            extra_cost=True,
            breaches_regulation=breach,
        )


def _decide(actor, request: DiscretionRequest, when: str, decision: str) -> None:
    with clock.frozen(at(when)):
        services.approval_decide(actor=actor, approval_id=request.approval.pk, decision=decision, note="…")


def _case(actor, customer, when: str, **complaint) -> Case:
    with clock.frozen(at(when)):
        return receive(actor, customer, **complaint).case


def build(world: World) -> Spend:
    """Policies: front line ¥500 a time, supervisors ¥5,000 (Guangdong), the head office ¥50,000, and the
    Beijing handler ¥500 for waivers. The unit of a request is the asker's.

    | req | asked       | case | customer (segment, unit) | asker      | kind    | ¥    | outcome                    |
    | r1  | 09-03 10:00 | ca   | individual (个人, 南山)  | frontline  | waiver  |  300 | granted on the spot        |
    | r2  | 09-10 10:00 | cb   | online (网销, 南山)      | frontline  | cash    | 3000 | approved by supervisor 4 h |
    | r3  | 09-20 10:00 | cb   | online                   | frontline  | voucher |  200 | refused: breaches a rule   |
    | r4  | 10-05 10:00 | cc   | key account (大客户, 深圳) | supervisor | cash  | 6000 | rejected by head office 2 h|
    | r5  | 10-20 10:00 | cd   | Beijing (个人, 北京)     | bj_handler | waiver  |  400 | granted on the spot        |
    | r6  | 10-28 10:00 | ca   | individual               | frontline  | cash    |  800 | still awaiting approval    |
    | r7  | 11-01 10:00 | cd   | Beijing                  | bj_handler | waiver  |  100 | granted, after the period  |

    Cases (complaints on the hotline at auto_claim.salvage unless said): ca 09-03, cb 09-10 on the app,
    cc 10-05, cd 10-20 at auto_claim.payment. Afterwards ca closed recovered; cb closed unreachable after
    one reopening (round 2); cc and cd open.
    """
    with clock.frozen(at("2026-09-01 09:00")):
        set_policies(world)
        services.policy_set(
            actor=world.admin, role="handler", org_unit_id=world.beijing.pk, kind="waiver", per_action_limit="500"
        )
    cases = {
        "ca": _case(world.frontline, world.individual, "2026-09-03 09:00"),
        "cb": _case(world.frontline, world.online, "2026-09-10 09:00", channel="app"),
        "cc": _case(world.supervisor, world.key_account, "2026-10-05 09:00"),
        "cd": _case(world.beijing_handler, world.beijing_customer, "2026-10-20 09:00", touchpoint="auto_claim.payment"),
    }
    r = {
        "r1": _ask(world.frontline, cases["ca"], "2026-09-03 10:00", "waiver", "300"),
        "r2": _ask(world.frontline, cases["cb"], "2026-09-10 10:00", "cash", "3000"),
    }
    _decide(world.supervisor, r["r2"], "2026-09-10 14:00", "approve")
    r["r3"] = _ask(world.frontline, cases["cb"], "2026-09-20 10:00", "voucher", "200", breach=True)
    r["r4"] = _ask(world.supervisor, cases["cc"], "2026-10-05 10:00", "cash", "6000")
    _decide(world.admin, r["r4"], "2026-10-05 12:00", "reject")
    r["r5"] = _ask(world.beijing_handler, cases["cd"], "2026-10-20 10:00", "waiver", "400")
    r["r6"] = _ask(world.frontline, cases["ca"], "2026-10-28 10:00", "cash", "800")
    r["r7"] = _ask(world.beijing_handler, cases["cd"], "2026-11-01 10:00", "waiver", "100")
    Case.objects.filter(pk=cases["ca"].pk).update(
        status=CaseStatus.CLOSED, closure="recovered", closed_at=at("2026-10-30 10:00")
    )
    Case.objects.filter(pk=cases["cb"].pk).update(
        status=CaseStatus.CLOSED, closure="unreachable", closed_at=at("2026-10-30 10:00"), round=2
    )
    for request in r.values():
        request.refresh_from_db()
    expected = {"r1": "granted", "r2": "approved", "r3": "refused", "r4": "rejected", "r5": "granted"}
    expected |= {"r6": "pending_approval", "r7": "granted"}
    assert {k: v.status for k, v in r.items()} == expected, "the story above no longer holds"
    assert r["r2"].decided_at - r["r2"].requested_at == timedelta(hours=4)
    return Spend(cases, r)
