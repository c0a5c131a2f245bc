"""The demo insurer: planned deterministically, loaded through the services, in every state, loaded once."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.db import transaction

from amends.accounts.models import User
from amends.assembly import demo
from amends.assembly.demo.cases import NOW_T, SCENARIOS, plan_cases
from amends.assembly.demo.people import COMPANIES, insured_persons, plan_customers
from amends.assembly.testing import at
from amends.audit.models import AuditEntry
from amends.customers.models import Customer, Segment
from amends.intake.models import ClockExtension, Complaint
from amends.recovery.models import Case, CaseStatus, TimelineEntry, TimelineKind

NOW = at("2026-11-23 15:00")
SMALL = 200


def _plan(seed: int = demo.SEED) -> tuple[list, list]:
    rng = random.Random(seed)
    customers = plan_customers(rng, SMALL)
    return customers, plan_cases(rng, customers, SMALL // 5, {})


def test_the_plan_depends_on_the_seed_alone():
    assert _plan() == _plan()
    assert _plan()[0] != _plan(seed=1)[0]


def test_a_small_demo_still_plans_every_scenario():
    _, cases = _plan()
    assert {c.scenario for c in cases} == set(SCENARIOS)


def test_every_script_ends_before_today_and_runs_forward():
    _, cases = _plan()
    for case in cases:
        times = [a.t for a in case.actions]
        assert times == sorted(times), case.key
        assert times[-1] < NOW_T, case.key
        assert case.actions[0].kind == "receive"


def test_phones_are_mainland_mobile_numbers():
    customers, _ = _plan()
    for c in customers:
        assert len(c.phone) == 11 and c.phone[0] == "1" and c.phone[1] in "3456789" and c.phone.isdigit()


def test_family_and_group_cover_insure_more_than_the_policyholder():
    customers, _ = _plan()
    policies = [(c.segment, p) for c in customers for p in c.policies]
    insured = [(segment, p.line, insured_persons(segment, p.line, p.premium)) for segment, p in policies]
    assert all(n == 1 for _, line, n in insured if line not in ("health", "accident"))
    assert any(n > 1 for segment, _, n in insured if segment == "individual")
    assert all(n >= 2 for segment, line, n in insured if segment in COMPANIES and line == "health")


def _shape() -> dict:
    """What must be the same in two loads: per case, its customer, touchpoint, state, round and owner."""
    cases = Case.objects.order_by("opened_at", "customer__customer_no").values_list(
        "customer__name", "touchpoint__code", "status", "round", "owner__username", "priority"
    )
    return {
        "customers": list(Customer.objects.order_by("customer_no").values_list("name", flat=True)[:30]),
        "cases": list(cases),
        "complaints": Complaint.objects.count(),
        "timeline": TimelineEntry.objects.count(),
    }


@pytest.mark.django_db
def test_two_loads_on_different_days_have_the_same_shape():
    # Each load runs inside a savepoint that is rolled back, so the second one starts from an empty database.
    shapes, summaries = [], []
    for now in (NOW, NOW + timedelta(days=40, hours=3)):
        sid = transaction.savepoint()
        summaries.append(demo.load(customers=SMALL // 2, now=now))
        shapes.append(_shape())
        transaction.savepoint_rollback(sid)
    assert shapes[0] == shapes[1]
    assert summaries[0].by_status == summaries[1].by_status
    assert summaries[0].counts["overdue"] == summaries[1].counts["overdue"]


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """One small demo for the whole class, rolled back at its end (loading costs a few seconds)."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo.load(customers=SMALL, now=NOW)
        yield summary
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestTheLoadedDemo:
    def test_cases_are_in_every_state(self, loaded):
        assert loaded.loaded
        assert all(loaded.by_status[s] > 0 for s in CaseStatus.values), loaded.by_status
        c = loaded.counts
        for key in ("overdue", "due_within_3_days", "reopened", "closed_recovered", "closed_unreachable"):
            assert c[key] > 0, key
        assert c["extensions_pending"] > 0 and c["extensions_approved"] > 0
        assert c["immediate"] > 0 and c["repeat_failures"] > 0
        assert 0 < c["complaints_decided"] < c["complaints"]

    def test_the_report_figures_are_ready_when_it_is_loaded(self):
        from amends.insights.models import CaseFact, ComplaintFact, Stale
        from amends.intake.models import Complaint

        assert not Stale.objects.exists()
        assert ComplaintFact.objects.count() == Complaint.objects.count() > 0
        assert CaseFact.objects.count() == Case.objects.count()

    def test_the_return_breaks_down_by_reason_and_insured_persons(self):
        from amends.insights import queries as insights
        from amends.text.models import ComplaintCode

        reasons = ComplaintCode.objects.filter(field="reason")
        assert reasons.exists()
        admin = User.objects.get(username="admin")
        result = insights.run(admin, "regulator", {"since": "2025-11-01", "until": "2026-11-23"})
        coded = [r for r in result.section("by_reason").rows if r["code"] != "-" and r["received"]]
        assert coded
        rates = result.section("rates").rows[0]
        assert rates["insured"] > rates["customers"]  # family and group cover insure more than they hold

    def test_overdue_means_undecided_past_the_deadline_on_the_load_day(self):
        overdue = Case.objects.exclude(status=CaseStatus.CLOSED).filter(due_at__lt=NOW)
        assert overdue.exists()
        for case in overdue:
            assert case.complaints.filter(decided_at__isnull=True, due_at__lt=NOW).exists()

    def test_history_ends_before_the_load_day(self):
        midnight = demo.demo_today(NOW)
        assert not TimelineEntry.objects.filter(at__gte=midnight).exists()
        assert not AuditEntry.objects.filter(at__gte=midnight).exists()

    def test_every_case_was_opened_by_a_complaint_or_a_noticed_failure_through_the_services(self):
        for case in Case.objects.all():
            kinds = list(case.timeline.values_list("kind", flat=True))
            assert TimelineKind.COMPLAINT in kinds or TimelineKind.FAILURE in kinds  # e.g. a dissatisfied callback
        assert AuditEntry.objects.filter(action="complaint.receive").count() == Complaint.objects.count()
        assert AuditEntry.objects.filter(action="case.open").count() == Case.objects.count()

    def test_closed_cases_were_followed_up_and_reopened_ones_are_in_round_two(self):
        for case in Case.objects.filter(status=CaseStatus.CLOSED):
            assert case.steps.filter(step="follow_up", round=case.round).exists()
            assert case.closed_at is not None
        for case in Case.objects.filter(round__gt=1):
            assert case.timeline.filter(kind=TimelineKind.REOPENED).exists()

    def test_the_salvage_story_is_an_individual_customer_owed_300_yuan(self):
        complaint = Complaint.objects.get(touchpoint__code="auto_claim.salvage", customer__name="陈志强")
        assert complaint.customer.segment == Segment.INDIVIDUAL
        assert complaint.loss_amount == 300
        owner = complaint.case.owner
        assert owner is not None and owner.username == "handler"
        assert complaint.case.status == CaseStatus.IN_PROGRESS

    def test_the_assessor_who_did_not_come_at_nine_is_awaiting_follow_up(self):
        complaint = Complaint.objects.get(touchpoint__code="auto_claim.assessment", customer__name="李明辉")
        assert "9点" in complaint.description
        assert complaint.decided_at is not None
        assert complaint.case.status == CaseStatus.FOLLOW_UP

    def test_the_handler_complained_about_does_not_own_the_case(self):
        case = Case.objects.select_related("owner").get(subjects__username="sz_chengang")
        owner = case.owner
        assert owner is not None and owner.username != "sz_chengang"

    def test_a_pending_level_two_extension_waits_for_a_supervisor(self):
        pending = ClockExtension.objects.filter(status="pending")
        assert pending.exists()
        assert all(e.level == 2 and e.requested_by.role == "handler" for e in pending)

    def test_the_demo_logins_share_the_printed_password(self):
        for spec in demo.DEMO_LOGINS:
            user = User.objects.get(username=spec.username)
            assert check_password(demo.DEMO_PASSWORD, user.password)
        admin = User.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser
        unit = User.objects.get(username="frontline").org_unit
        assert unit is not None and unit.name == "南山营业部"

    def test_a_second_load_adds_nothing(self):
        before = (Customer.objects.count(), Case.objects.count(), User.objects.count())
        assert demo.load(customers=SMALL, now=NOW).loaded is False
        assert (Customer.objects.count(), Case.objects.count(), User.objects.count()) == before

    def test_promises_give_the_hint_a_history_and_leave_one_for_the_worker(self, loaded):
        from amends.promises.models import Promise

        statuses = set(Promise.objects.values_list("status", flat=True))
        assert statuses == {"kept", "broken", "open"}
        assert loaded.counts["promises"] == Promise.objects.count() > 100
        overdue = Promise.objects.filter(status="open", due_at__lt=demo.demo_today(NOW))
        assert overdue.count() == 1  # the worker's first sweep breaks it into a case
        assert not Promise.objects.filter(made_at__gte=demo.demo_today(NOW)).exists()

    def test_customers_answered_surveys_filed_on_the_portal_and_were_called_back(self, loaded):
        from amends.followup.models import Callback, Survey

        c = loaded.counts
        assert c["surveys"] > c["surveys_answered"] > 0 and c["portal_complaints"] == 3
        assert set(Survey.objects.values_list("status", flat=True)) >= {"answered", "sent"}
        assert Survey.objects.filter(recovered=False).exists() and Survey.objects.filter(recovered=True).exists()
        assert Callback.objects.filter(reason="sample").exists() and c["callbacks_open"] > 0
        assert Complaint.objects.filter(channel="portal", portal__isnull=False).count() == 3

    def test_compensation_went_through_discretion_alike_for_every_segment(self, loaded):
        from amends.discretion.models import DiscretionRequest, LedgerEntry

        assert loaded.counts["discretion_requests"] == DiscretionRequest.objects.count() > 20
        statuses = set(DiscretionRequest.objects.values_list("status", flat=True))
        assert {"granted", "pending_approval"} <= statuses
        # Nothing above the ¥500 front-line and handler limit was granted on the spot by them.
        above = DiscretionRequest.objects.filter(amount__gt=500, role__in=["frontline", "handler"])
        assert above.exists() and not above.filter(status="granted").exists()
        assert LedgerEntry.objects.filter(policy__isnull=True).count() == 0
        # The seed's ¥300 salvage deduction: waived on the spot for an online customer and a key account alike.
        waivers = DiscretionRequest.objects.filter(
            kind="waiver", amount=300, case__touchpoint__code="auto_claim.salvage"
        )
        assert sorted(waivers.values_list("segment", "status")) == [("key_account", "granted"), ("online", "granted")]
        # The individual's S-SALVAGE case is left for the live demo.
        assert not DiscretionRequest.objects.filter(customer__customer_no="C00000002").exists()

    def test_the_learning_loop_has_figures(self, loaded):
        """Decided complaints carry their result and most are coded; reopened rounds count as not recovered;
        terms that ended have policy admin's word, on real policies; one rectification is done."""
        from amends.customers.models import Policy
        from amends.improvement.models import Rectification
        from amends.insights.models import TermFact
        from amends.intake.models import Complaint
        from amends.recovery.models import CaseStep
        from amends.text.models import ComplaintCode
        from amends.warning.models import Event

        decided = Complaint.objects.filter(decided_at__isnull=False)
        assert not decided.filter(result="").exists()
        coded = ComplaintCode.objects.filter(field="cause").count()
        assert 0.5 * decided.count() < coded < decided.count()
        not_recovered = CaseStep.objects.filter(step="follow_up", outcome="not_recovered")
        assert not_recovered.values("case").distinct().count() == loaded.counts["reopened"] > 0
        renewals = Event.objects.filter(type__in=["policy.renewed", "policy.lapsed"])
        assert renewals.exists() and not renewals.exclude(policy_no__in=Policy.objects.values("policy_no")).exists()
        assert TermFact.objects.filter(decided=True, experience="no_recorded_failure").count() > 10
        assert Rectification.objects.filter(status="done", effective_at__isnull=False).count() == 1

    def test_approvals_wait_on_supervisors_today_and_one_is_already_overdue(self, loaded):
        from amends.discretion.models import Approval

        waiting = Approval.objects.filter(status="pending").select_related("request", "approver")
        # ¥12,000 is beyond the city supervisor's ¥5,000: it waits on the provincial branch head.
        assert {(str(a.request.amount), a.approver.username) for a in waiting} == {
            ("3000.00", "supervisor"),
            ("1200.00", "supervisor"),
            ("12000.00", "gd_supervisor"),
        }
        assert waiting.filter(due_at__lt=demo.demo_today(NOW)).count() >= 1 or NOW.weekday() in (0, 6)
        assert not Approval.objects.filter(assigned_at__gte=demo.demo_today(NOW)).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
class TestTheDemoEarlyWarnings:
    def test_every_event_rule_has_a_live_alert(self, loaded):
        from amends.warning.models import Alert

        assert loaded.counts["events"] > 1000
        live = set(Alert.objects.exclude(status="resolved").values_list("rule", flat=True))
        assert {
            "stage_report_to_arrival",
            "stage_documents_to_payment",
            "fact_mismatch_salvage",
            "repeat_contact",
            "repeat_failure",
            "touchpoint_spike",
            "complaint_deadline",
            "high_value_at_risk",
        } <= live, live

    def test_the_300_yuan_salvage_case_is_caught_with_its_case_and_playbook(self):
        from amends.warning.models import Alert

        alert = Alert.objects.get(rule="fact_mismatch_salvage", subject_id="CL2026E000300")
        assert alert.case is not None and alert.detail["amount"] == "300.00"
        assert alert.case.timeline.filter(kind=TimelineKind.NOTE).exists()
