"""Two months of complaints and recoveries written through the services, the clock moved to each moment
(the way the demo replays its year), for the tests that compute each report's figures again from the rows.

Every complaint goes through the whole loop: received, the four steps, a decision with its result told on a
chosen day, then follow-ups whose outcomes the spec gives (a `not_recovered` reopens the case; the next round
runs the four steps again). Two complaints stay undecided: one past its deadline, one not yet due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from amends.assembly.testing import World, at, receive, tp
from amends.core import clock
from amends.customers.models import Customer
from amends.intake import services as intake
from amends.intake.models import Complaint, LetterStatus
from amends.recovery import services as recovery
from amends.recovery.models import Case
from amends.recovery.rules import Episode
from amends.text import services as text

PERIOD = {"since": "2026-09-01", "until": "2026-10-31", "bucket": "month"}
STEPS = ("apology", "fix", "empathy", "atonement")


@dataclass(frozen=True)
class Spec:
    customer: str
    received: str
    decided_after_days: float | None  # None: undecided
    result: str = ""
    at_fault: bool | None = None
    follow_ups: tuple[str, ...] = ()
    channel: str = "hotline"
    touchpoint: str = "auto_claim.salvage"
    codes: tuple[tuple[str, str], ...] = ()  # confirmed by staff: (field, code)
    failure: tuple[str, str, str] | None = None  # a failure recorded the day after: (touchpoint, cause, dimension)


SPECS = [
    Spec(
        "individual",
        "2026-09-02 10:00",
        3,
        "upheld",
        True,
        ("recovered",),
        codes=(("cause", "company"), ("dimension", "reliability")),
        failure=("auto_claim.assessment", "company", "responsiveness"),
    ),
    Spec("online", "2026-09-05 09:00", 12.5, "partly_upheld", True, ("not_recovered", "recovered"), "app"),
    Spec(
        "key_account",
        "2026-09-10 15:00",
        20,
        "not_upheld",
        False,
        ("unreachable",) * 3,
        codes=(("cause", "customer"), ("touchpoint", "auto_claim.payment")),
    ),
    Spec(
        "individual",
        "2026-09-20 10:00",
        1,
        "upheld",
        True,
        ("not_recovered", "not_recovered", "recovered"),
        codes=(("cause", "company"), ("dimension", "responsiveness")),
        failure=("auto_claim.salvage", "company", ""),
    ),
    Spec("online", "2026-09-28 11:00", 30.5, "", None, ("recovered",), "app", "auto_claim.payment"),
    Spec("key_account", "2026-10-08 09:30", 14.9, "not_upheld", False, ("not_recovered", "unreachable", "recovered")),
    Spec("individual", "2026-10-10 10:00", None, channel="regulator"),  # due 10-25, still undecided: late
    Spec("online", "2026-10-25 10:00", None, channel="app"),  # due 11-09: not yet due on 11-02
    Spec("beijing_customer", "2026-10-03 10:00", 6, "upheld", True, ("recovered",), "regulator"),
]


@dataclass
class Story:
    complaints: list[Complaint]
    cases: list[Case]


def _actor(world: World, customer: Customer):  # the handler whose unit holds the customer
    return world.beijing_handler if customer == world.beijing_customer else world.handler


def _steps(actor, case: Case) -> None:
    for name in STEPS:
        recovery.step_record(actor=actor, case_id=case.pk, step=name, note="已处理")


def build(world: World) -> Story:
    complaints, cases = [], []
    for spec in SPECS:
        customer = getattr(world, spec.customer)
        actor = _actor(world, customer)
        moment = at(spec.received)
        with clock.frozen(moment):
            complaint = receive(actor, customer, channel=spec.channel, touchpoint=spec.touchpoint)
            case = complaint.case
            for field, code in spec.codes:
                text.complaint_code(actor=actor, complaint_id=complaint.pk, field=field, code=code, version=None)
            _steps(actor, case)
        if spec.failure is not None:
            touchpoint, cause, dimension = spec.failure
            recovery.failure_record(
                actor=actor,
                customer=customer,
                touchpoint=tp(touchpoint),
                episode=Episode.from_key(case.episode_key),
                source="staff",
                source_ref="",
                description="又一次差错",
                at=moment + timedelta(hours=20),
                cause=cause,
                dimension=dimension,
            )
        if spec.decided_after_days is not None:
            moment += timedelta(days=spec.decided_after_days)
            with clock.frozen(moment):
                intake.complaint_decide(
                    actor=actor,
                    complaint_id=complaint.pk,
                    decision="已告知处理结果。",
                    result=spec.result,
                    at_fault=spec.at_fault,
                )
                # A regulator transfer's letter waits for a second person's check: head office checks it.
                for letter in complaint.letters.filter(status=LetterStatus.AWAITING_CHECK):
                    intake.letter_check(actor=world.admin, letter_id=letter.pk, approve=True)
        for outcome in spec.follow_ups:
            moment += timedelta(days=1)
            with clock.frozen(moment):
                recovery.step_record(actor=actor, case_id=case.pk, step="follow_up", note="回访", outcome=outcome)
                case.refresh_from_db()
                if outcome == "not_recovered":
                    _steps(actor, case)
        complaints.append(complaint)
        cases.append(case)
    return Story(complaints, cases)
