"""Play the planned case scripts through the real services, in time order, with the clock set to each moment.

Every complaint, step, decision, extension and act of discretion goes through the apps' services under
`clock.frozen(t)`, so cases, timelines and audit entries carry the times they would have had; nothing here
writes a case row itself. Actions of all cases are merged into one time line so automatic assignment sees
the workload each handler really had at that moment.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from amends.accounts.models import User
from amends.core import clock
from amends.core.errors import AmendsError
from amends.customers.models import Customer, Policy
from amends.discretion import services as discretion
from amends.intake import services as intake
from amends.intake.models import Complaint, ComplaintReason, DecisionLetter, LetterStatus
from amends.recovery import services as recovery
from amends.recovery.models import Case
from amends.text import services as text
from amends.text.starter import CATEGORY_OF_JOURNEY

from .cases import Action, CasePlan
from .org import nearest
from .people import CustomerPlan

# How the demo's decisions come out (支持 / 部分支持 / 不支持) and how many complaints staff code.
RESULTS, RESULT_WEIGHTS = ["upheld", "partly_upheld", "not_upheld"], [5, 3, 2]
CODED_SHARE = 0.75
DIMENSIONS = ["reliability", "responsiveness", "competence", "attitude", "standards"]
DIMENSION_WEIGHTS = [4, 5, 2, 2, 1]


class DemoLoadError(RuntimeError):
    """A service refused a step of the demo's script: the demo and the rules disagree."""


@dataclass
class _State:
    case_id: int | None = None
    complaint_ids: list[int] = field(default_factory=list)
    extension_id: int | None = None


@dataclass
class Replay:
    plans: list[CasePlan]
    people: list[CustomerPlan]
    customers: list[Customer]
    policies: list[list[Policy]]
    staff: dict[str, User]
    epoch: datetime
    # Called after an atonement is recorded with what was given (the demo's compensation through discretion).
    on_atonement: Callable[..., None] | None = None
    state: dict[str, _State] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_pk = {u.pk: u for u in self.staff.values()}

    def moment(self, t: int) -> datetime:
        return self.epoch + timedelta(minutes=t)

    def case_id(self, plan: CasePlan) -> int:
        case_id = self.state[plan.key].case_id
        assert case_id is not None, f"demo case {plan.key} acts before its first complaint"
        return case_id

    def claim_no(self, plan: CasePlan, when: datetime) -> str:
        # The claim carries the area code of the policy it is made under (PA2026·440300·000123).
        area = self.policies[plan.customer][plan.policy or 0].policy_no[6:12] if plan.customer >= 0 else "440300"
        return f"CL{when.year}{area}{plan.claim_seq:06d}"

    def actor(self, plan: CasePlan, who: str) -> User:
        # The same User objects every time: services cache the actor's org scope on the instance.
        if who not in {"owner", "supervisor"}:
            return self.staff[who]
        owner_id, unit = Case.objects.filter(pk=self.case_id(plan)).values_list("owner_id", "org_unit__code")[0]
        if who == "owner" and owner_id is not None:
            return self.by_pk[owner_id]
        return self.staff[nearest(unit, "supervisor")]

    def run(self, progress: Callable[[int], None] | None = None) -> None:
        events = sorted(
            ((a.t, n, i, plan, a) for n, plan in enumerate(self.plans) for i, a in enumerate(plan.actions)),
            key=lambda e: e[:3],
        )
        for t, _, _, plan, action in events:
            with clock.frozen(self.moment(t)):
                try:
                    getattr(self, f"do_{action.kind}")(plan, action)
                except AmendsError as exc:
                    raise DemoLoadError(
                        f"demo case {plan.key} ({plan.scenario}), {action.kind} {action.args}: "
                        f"{exc.code}: {exc.detail} {exc.fields}"
                    ) from exc
            if progress is not None:
                progress(1)

    def do_receive(self, plan: CasePlan, action: Action) -> None:
        a = action.args
        state = self.state.setdefault(plan.key, _State())
        when = self.moment(action.t)
        new = a.get("new_customer")
        data = intake.ComplaintInput(
            channel=a["channel"],
            description=a["description"],
            request=a["request"],
            customer_id=self.customers[plan.customer].pk if plan.customer >= 0 else None,
            new_customer=intake.NewCustomer(**new) if new else None,
            policy_no=self.policies[plan.customer][plan.policy or 0].policy_no if plan.customer >= 0 else "",
            claim_no=self.claim_no(plan, when) if plan.claim_seq else "",
            touchpoint=plan.touchpoint,
            request_confirmed=a.get("confirmed", True),
            loss_amount=Decimal(a["loss"]) if a.get("loss") else None,
            subject_username=a.get("subject", ""),
        )
        key = f"demo:{plan.key}:{len(state.complaint_ids)}"
        complaint, _ = intake.complaint_receive(actor=self.actor(plan, a["actor"]), data=data, idempotency_key=key)
        if state.case_id is None:
            state.case_id = complaint.case_id
        elif complaint.case_id != state.case_id:
            raise DemoLoadError(f"demo case {plan.key}: a follow-up complaint opened a new case instead of joining")
        state.complaint_ids.append(complaint.pk)

    def do_assign(self, plan: CasePlan, action: Action) -> None:
        actor = self.actor(plan, action.args["actor"])
        recovery.case_assign(actor=actor, case_id=self.case_id(plan), owner=self.staff[action.args["to"]])

    def do_step(self, plan: CasePlan, action: Action) -> None:
        a = action.args
        actor = self.actor(plan, a["actor"])
        if a["step"] == "atonement" and not a.get("skipped_reason") and self.on_atonement and plan.customer >= 0:
            self.on_atonement(
                case_id=self.case_id(plan),
                actor=actor,
                note=a.get("note", ""),
                title=self.people[plan.customer].title,
                at=self.moment(action.t),
            )
        recovery.step_record(
            actor=actor,
            case_id=self.case_id(plan),
            step=a["step"],
            note=a.get("note", ""),
            skipped_reason=a.get("skipped_reason"),
            outcome=a.get("outcome"),
        )

    def do_discretion(self, plan: CasePlan, action: Action) -> None:
        a = action.args
        discretion.discretion_request(
            actor=self.actor(plan, a["actor"]),
            case_id=self.case_id(plan),
            kind=a["kind"],
            amount=a["amount"],
            reason=a["reason"],
            customer_at_fault=False,
            extra_cost=True,
            breaches_regulation=False,
        )

    def do_on_the_spot(self, plan: CasePlan, action: Action) -> None:
        recovery.recovery_on_the_spot(
            actor=self.actor(plan, action.args["actor"]),
            case_id=self.case_id(plan),
            notes=action.args["notes"],
        )

    def do_decide(self, plan: CasePlan, action: Action) -> None:
        actor = self.actor(plan, action.args["actor"])
        undecided = Complaint.objects.filter(
            pk__in=self.state[plan.key].complaint_ids, decided_at__isnull=True
        ).order_by("pk")
        # The case's own stream (seeded by its key), so the rest of the demo draws exactly what it did before.
        rng = random.Random(f"decide:{plan.key}")
        for complaint_id in undecided.values_list("pk", flat=True):
            result = rng.choices(RESULTS, weights=RESULT_WEIGHTS)[0]
            at_fault = result != "not_upheld" if rng.random() < 0.9 else result == "not_upheld"
            intake.complaint_decide(
                actor=actor,
                complaint_id=complaint_id,
                decision=action.args["text"],
                result=result,
                at_fault=at_fault,
            )
            # A regulator transfer's (or a large offer's) letter waits for a second person, who approves it.
            waiting = (
                DecisionLetter.objects.filter(complaint_id=complaint_id, status=LetterStatus.AWAITING_CHECK)
                .values_list("pk", flat=True)
                .first()
            )
            if waiting is not None:
                checker = self.actor(plan, "supervisor")
                if checker.pk == actor.pk:
                    checker = self.actor(plan, "owner")
                intake.letter_check(actor=checker, letter_id=waiting, approve=True, note="已核对")
            # Most complaints are coded by the handler when deciding them (the rest stay uncoded, as in life).
            if rng.random() < CODED_SHARE:
                self.code(plan, actor, complaint_id, rng, at_fault=at_fault)

    def code(self, plan: CasePlan, actor: User, complaint_id: int, rng: random.Random, *, at_fault: bool) -> None:
        journey = plan.touchpoint.split(".")[0] if plan.touchpoint else ""
        codes = {
            "category": CATEGORY_OF_JOURNEY.get(journey, "other"),
            "cause": "company" if at_fault else rng.choice(["uncontrollable", "customer"]),
            "dimension": rng.choices(DIMENSIONS, weights=DIMENSION_WEIGHTS)[0],
        }
        if rng.random() < 0.5:
            codes["gap"] = rng.choices(["1", "2", "3", "4"], weights=[2, 3, 6, 1])[0]
        # The regulator's reason under that category, read off the complaint (no draw of its own, so the demo's
        # other draws stay as they were).
        options = self.reasons().get(codes["category"], [])
        if options:
            codes["reason"] = options[complaint_id % len(options)]
        for name, code in codes.items():
            text.complaint_code(actor=actor, complaint_id=complaint_id, field=name, code=code, version=None)

    def reasons(self) -> dict[str, list[str]]:
        """The active reasons of the regulator's taxonomy per business category (read once per replay)."""
        if not hasattr(self, "_reasons"):
            by_category: dict[str, list[str]] = {}
            rows = ComplaintReason.objects.filter(active=True).values_list("category__code", "code")
            for category, code in rows:
                by_category.setdefault(category, []).append(code)
            self._reasons = by_category
        return self._reasons

    def do_extend(self, plan: CasePlan, action: Action) -> None:
        state = self.state[plan.key]
        extension = intake.complaint_extend(
            actor=self.actor(plan, action.args["actor"]),
            complaint_id=state.complaint_ids[0],
            level=action.args["level"],
            reason=action.args["reason"],
        )
        state.extension_id = extension.pk

    def do_extension_decide(self, plan: CasePlan, action: Action) -> None:
        state = self.state[plan.key]
        assert state.extension_id is not None
        intake.extension_decide(
            actor=self.actor(plan, action.args["actor"]),
            extension_id=state.extension_id,
            approve=action.args["approve"],
            note=action.args["note"],
        )
