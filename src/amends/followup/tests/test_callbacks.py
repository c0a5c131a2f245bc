"""Callbacks (主动回访): the daily sample is deterministic for a seed and weighted by criticality; calls record
every attempt; a dissatisfied answer is a failure with its case; follow-up calls act on their case."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client, override_settings

from amends.assembly.testing import receive
from amends.core.errors import RuleViolation
from amends.customers.models import Customer, Line, Policy
from amends.followup import rules
from amends.followup.models import Callback, CallbackAttempt
from amends.followup.services import callback_record, callbacks_sample
from amends.recovery.models import Case, Failure
from amends.warning.models import Alert

from .helpers import send_surveys, to_follow_up

SAY_GOOD = {"solved": True, "satisfaction": 5}
SAY_BAD = {"solved": False, "satisfaction": 1, "attitude": 1, "comment": "续保时业务员很不耐烦"}


def _passages(n: int, touchpoint: str = "renewal.payment", criticality: int = 3) -> list[rules.Passage]:
    at = datetime(2026, 11, 1)
    return [rules.Passage(f"policy:{i}", i, touchpoint, criticality, at) for i in range(n)]


def test_the_sample_is_the_same_for_the_same_seed_and_day_and_differs_for_another_seed():
    ps = _passages(2000)
    one = rules.sample(ps, rates={"default": 0.1}, seed="s1", day="2026-11-02", cap=1000)
    again = rules.sample(list(reversed(ps)), rates={"default": 0.1}, seed="s1", day="2026-11-02", cap=1000)
    other = rules.sample(ps, rates={"default": 0.1}, seed="s2", day="2026-11-02", cap=1000)
    assert [p.ref for p in one] == [p.ref for p in again]
    assert {p.ref for p in one} != {p.ref for p in other}
    assert 150 <= len(one) <= 250  # about 10% of 2000


def test_more_critical_touchpoints_are_called_more_often():
    low = rules.sample(_passages(3000, criticality=1), rates={"default": 0.15}, seed="s", day="d", cap=3000)
    high = rules.sample(_passages(3000, criticality=5), rates={"default": 0.15}, seed="s", day="d", cap=3000)
    assert len(high) > 3 * len(low)


def test_rates_by_touchpoint_then_journey_then_default_and_a_daily_cap():
    rates = {"renewal.payment": 1.0, "sale": 0.0, "default": 0.5}
    assert rules.rate_for("renewal.payment", rates) == 1.0
    assert rules.rate_for("sale.delivery", rates) == 0.0
    assert rules.rate_for("auto_claim.report", rates) == 0.5
    assert len(rules.sample(_passages(50), rates=rates, seed="s", day="d", cap=7)) == 7
    assert rules.sample(_passages(50, "sale.delivery"), rates=rates, seed="s", day="d", cap=50) == []


def _policy(customer: Customer, no: str, start: date) -> Policy:
    return Policy.objects.create(
        policy_no=no,
        customer=customer,
        line=Line.AUTO,
        premium=Decimal("3000"),
        start_date=start,
        end_date=start + timedelta(days=364),
        org_unit=customer.org_unit,
    )


@override_settings(AMENDS_CALLBACK_RATES={"default": 1.0})
def test_daily_sampling_takes_recent_passages_of_customers_who_did_not_complain(world, now):
    _policy(world.online, "PR-ONLINE-1", date(2026, 10, 30))
    _policy(world.key_account, "PR-KEY-1", date(2026, 10, 1))  # too long ago
    _policy(world.beijing_customer, "PR-BJ-1", date(2026, 10, 31))
    receive(world.beijing_handler, world.beijing_customer)
    created = callbacks_sample()
    assert [c.customer_id for c in created] == [world.online.pk]
    callback = created[0]
    assert callback.reason == "sample" and callback.touchpoint.code == "renewal.payment"
    assert callback.org_unit_id == world.online.org_unit_id
    assert callbacks_sample() == []  # the same day again adds nothing


@pytest.fixture
def sampled(world, now):
    _policy(world.online, "PR-ONLINE-2", date(2026, 10, 30))
    with override_settings(AMENDS_CALLBACK_RATES={"default": 1.0}):
        return callbacks_sample()[0]


def test_a_dissatisfied_answer_opens_a_failure_and_a_case(world, sampled):
    callback_record(actor=world.handler, callback_id=sampled.pk, outcome="reached", answer=SAY_BAD, note="客户抱怨")
    sampled.refresh_from_db()
    assert sampled.status == "done" and sampled.attempts == 1 and sampled.satisfaction == 1
    failure = Failure.objects.get(source="callback")
    assert sampled.failure_id == failure.pk and failure.customer_id == world.online.pk
    assert failure.dimension == "attitude" and "业务员很不耐烦" in failure.description
    assert Case.objects.filter(pk=failure.case_id, status="open").exists()
    assert Alert.objects.filter(rule="callback_dissatisfied", case_id=failure.case_id).exists()


def test_a_satisfied_answer_opens_nothing(world, sampled):
    callback_record(actor=world.handler, callback_id=sampled.pk, outcome="reached", answer=SAY_GOOD)
    assert not Failure.objects.exists() and not Case.objects.exists()


@override_settings(AMENDS_CALLBACK_MAX_ATTEMPTS=3)
def test_attempts_are_recorded_and_three_misses_make_the_customer_unreachable(world, sampled):
    for outcome in ("no_answer", "busy"):
        callback_record(actor=world.handler, callback_id=sampled.pk, outcome=outcome)
    sampled.refresh_from_db()
    assert sampled.status == "open" and sampled.attempts == 2
    callback_record(actor=world.handler, callback_id=sampled.pk, outcome="no_answer", note="关机")
    sampled.refresh_from_db()
    assert sampled.status == "unreachable"
    assert list(CallbackAttempt.objects.values_list("outcome", flat=True)) == ["no_answer", "busy", "no_answer"]
    with pytest.raises(RuleViolation) as refused:
        callback_record(actor=world.handler, callback_id=sampled.pk, outcome="no_answer")
    assert refused.value.code == "callback_finished"


def test_calls_are_scoped_versioned_and_validated(world, sampled):
    from amends.core.errors import Conflict, InvalidInput, NotFound

    with pytest.raises(NotFound):
        callback_record(actor=world.beijing_handler, callback_id=sampled.pk, outcome="no_answer")
    with pytest.raises(InvalidInput):
        callback_record(actor=world.handler, callback_id=sampled.pk, outcome="reached", answer={"solved": True})
    with pytest.raises(Conflict):
        callback_record(actor=world.handler, callback_id=sampled.pk, outcome="no_answer", version=sampled.version + 1)
    assert not CallbackAttempt.objects.exists()


@override_settings(AMENDS_SURVEY_REMINDERS=0, AMENDS_SURVEY_REMINDER_HOURS=1)
def test_a_follow_up_call_closes_the_case_when_the_customer_is_recovered(world, now):
    complaint = receive(world.handler, world.individual)
    to_follow_up(world.handler, complaint.case_id)
    send_surveys()
    send_surveys(now=now + timedelta(hours=2))
    callback = Callback.objects.get(reason="survey_unanswered")
    callback_record(actor=world.handler, callback_id=callback.pk, outcome="reached", answer=SAY_GOOD)
    case = Case.objects.get(pk=complaint.case_id)
    assert case.status == "closed" and case.closure == "recovered"


def test_the_call_page_records_a_call(world, sampled):
    client = Client()
    client.force_login(world.handler)
    assert world.online.name in client.get("/callbacks/").content.decode()
    page = client.get(f"/callbacks/{sampled.pk}/")
    assert page.status_code == 200 and world.online.phone in page.content.decode()
    bad = client.post(f"/callbacks/{sampled.pk}/", {"outcome": "reached", "version": sampled.version})
    assert bad.status_code == 422 and not CallbackAttempt.objects.exists()
    done = client.post(
        f"/callbacks/{sampled.pk}/",
        {"outcome": "reached", "solved": "yes", "satisfaction": "5", "version": sampled.version},
    )
    assert done.status_code == 302
    assert Callback.objects.get().status == "done"
    client.force_login(world.beijing_handler)
    assert client.get(f"/callbacks/{sampled.pk}/").status_code == 404


@override_settings(AMENDS_CALLBACK_RATES={"default": 1.0})
def test_events_from_other_systems_are_passages_too(world, now):
    from amends.warning.services import event_ingest

    def event(event_id: str, customer: Customer, touchpoint: str, hours_ago: int) -> dict:
        at = now - timedelta(hours=hours_ago)
        return {
            "event_id": event_id,
            "type": "claim.paid",
            "occurred_at": at.isoformat(),
            "customer_ref": customer.customer_no,
            "claim_no": "CL-EV-1",
            "touchpoint": touchpoint,
        }

    event_ingest(
        actor=None,
        events=[
            event("ev-1", world.online, "auto_claim.payment", 30),
            event("ev-2", world.key_account, "auto_claim.payment", 24 * 10),  # before the window
            {**event("ev-3", world.individual, "auto_claim.payment", 5), "customer_ref": "NO-SUCH-CUSTOMER"},
        ],
        run_rules=False,
    )
    created = callbacks_sample()
    assert [(c.customer_id, c.touchpoint.code) for c in created] == [(world.online.pk, "auto_claim.payment")]
    assert created[0].source_ref.startswith("event:auto_claim.payment:C0002:")


def test_the_callback_api_lists_and_records_calls(world, sampled):
    from amends.core.tests.api_client import Api

    api = Api(world.token(world.handler))
    items = api.get("/callbacks").json()["items"]
    assert [i["id"] for i in items] == [sampled.pk] and items[0]["customer"]["name"] == world.online.name
    assert Api(world.token(world.beijing_handler)).get("/callbacks").json()["items"] == []
    missing = api.post(f"/callbacks/{sampled.pk}/attempts", {"outcome": "reached", "solved": True})
    assert missing.status_code == 422 and "satisfaction" in missing.json()["fields"]
    assert api.post(f"/callbacks/{sampled.pk}/attempts", {"outcome": "maybe"}).status_code == 422
    stale = api.post(f"/callbacks/{sampled.pk}/attempts", {"outcome": "busy", "version": 99})
    assert stale.status_code == 409
    done = api.post(f"/callbacks/{sampled.pk}/attempts", {"outcome": "reached", **SAY_BAD, "version": 1})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "done" and body["answer"]["satisfaction"] == 1 and body["failure"] is not None
    assert Api(None).get("/callbacks").status_code == 401
    assert api.post(f"/callbacks/{sampled.pk}/attempts", {"outcome": "busy"}).json()["error"] == "callback_finished"
