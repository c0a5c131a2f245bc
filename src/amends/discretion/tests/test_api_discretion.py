"""The discretion API through the real HTTP stack: the contract's field names, bad input, scope, the answer."""

from __future__ import annotations

import pytest

from amends.assembly.testing import at
from amends.core.tests.api_client import Api
from amends.discretion.models import DiscretionRequest, LedgerEntry

from .helpers import online_case, set_policies

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "waiver",
    "amount": "300.00",
    "reason": "换件清单未注明须交残，不应扣残值300元。",
    "customer_at_fault": False,
    "extra_cost": False,
    "breaches_regulation": False,
}


@pytest.fixture
def case(world, now):
    set_policies(world)
    return online_case(world)


def test_a_waiver_within_authority_answers_granted(world, case):
    r = Api(world.token(world.frontline)).post(f"/cases/{case.pk}/discretion", BODY)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "granted" and body["approval"] is None and body["amount"] == "300.00"
    assert body["id"] == DiscretionRequest.objects.get().pk


def test_over_the_limit_answers_pending_approval_with_the_approver(world, case):
    r = Api(world.token(world.frontline)).post(f"/cases/{case.pk}/discretion", {**BODY, "amount": "3000"})
    body = r.json()
    assert r.status_code == 201 and body["status"] == "pending_approval"
    assert body["approval"]["approver"]["username"] == "supervisor"
    assert body["approval"]["due_at"] == "2026-11-02T14:00:00+08:00"


def test_a_breach_answers_refused_with_the_reason(world, case):
    r = Api(world.token(world.frontline)).post(f"/cases/{case.pk}/discretion", {**BODY, "breaches_regulation": True})
    assert r.status_code == 201 and r.json()["status"] == "refused" and r.json()["reasons"] == ["breach"]


def test_the_supervisor_approves_through_the_api_and_the_case_shows_it(world, case):
    api = Api(world.token(world.frontline))
    approval_id = api.post(f"/cases/{case.pk}/discretion", {**BODY, "amount": "3000"}).json()["approval"]["id"]
    boss = Api(world.token(world.supervisor))
    waiting = boss.get("/approvals").json()["items"]
    assert [w["id"] for w in waiting] == [approval_id] and waiting[0]["customer"]["segment"] == "online"
    r = boss.post(f"/approvals/{approval_id}/decision", {"decision": "approve", "note": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    detail = api.get(f"/cases/{case.pk}").json()
    assert [d["status"] for d in detail["discretion"]] == ["approved"]
    assert detail["timeline"][-1]["kind"] == "discretion" and detail["timeline"][-1]["data"]["event"] == "approved"
    again = boss.post(f"/approvals/{approval_id}/decision", {"decision": "reject", "note": "x"})
    assert again.status_code == 409 and again.json()["error"] == "approval_decided"


class TestBadInput:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({**BODY, "kind": "bribe"}, "kind"),
            ({**BODY, "amount": "three hundred"}, "amount"),
            ({**BODY, "amount": "-1"}, "amount"),
            ({**BODY, "amount": "1.001"}, "amount"),
            ({k: v for k, v in BODY.items() if k != "customer_at_fault"}, "customer_at_fault"),
            ({**BODY, "reason": ""}, "reason"),
        ],
    )
    def test_fields_are_named_in_the_error_and_nothing_is_written(self, world, case, body, field):
        r = Api(world.token(world.frontline)).post(f"/cases/{case.pk}/discretion", body)
        assert r.status_code == 422, r.content
        assert field in r.json()["fields"]
        assert not LedgerEntry.objects.exists()

    def test_not_json(self, world, case):
        r = Api(world.token(world.frontline)).post(f"/cases/{case.pk}/discretion", "{nope")
        assert r.status_code == 400 and r.json()["error"] == "bad_json"

    def test_no_token(self, world, case):
        assert Api(None).post(f"/cases/{case.pk}/discretion", BODY).status_code == 401

    def test_another_branchs_case_is_not_found(self, world, case):
        r = Api(world.token(world.beijing_handler)).post(f"/cases/{case.pk}/discretion", BODY)
        assert r.status_code == 404 and r.json()["error"] == "not_found"

    def test_a_decision_must_be_approve_or_reject(self, world, case):
        approval_id = (
            Api(world.token(world.frontline))
            .post(f"/cases/{case.pk}/discretion", {**BODY, "amount": "3000"})
            .json()["approval"]["id"]
        )
        boss = Api(world.token(world.supervisor))
        r = boss.post(f"/approvals/{approval_id}/decision", {"decision": "maybe"})
        assert r.status_code == 422 and "decision" in r.json()["fields"]
        r = boss.post(f"/approvals/{approval_id}/decision", {"decision": "reject"})
        assert r.status_code == 422 and "note" in r.json()["fields"]
        r = Api(world.token(world.frontline)).post(f"/approvals/{approval_id}/decision", {"decision": "approve"})
        assert r.status_code == 403
        assert boss.post("/approvals/999999/decision", {"decision": "approve"}).status_code == 404


class TestReportAndPolicies:
    def test_the_report_is_for_quality_managers_and_counts_per_segment(self, world, case):
        api = Api(world.token(world.frontline))
        api.post(f"/cases/{case.pk}/discretion", BODY)
        api.post(f"/cases/{case.pk}/discretion", {**BODY, "amount": "3000"})
        assert api.get("/discretion/report").status_code == 403
        r = Api(world.token(world.quality)).get("/discretion/report", by="segment")
        assert r.status_code == 200
        (online,) = r.json()["items"]
        assert online["segment"] == "online" and online["requests"] == 2 and online["granted_on_the_spot"] == 1
        assert online["pending"] == 1 and online["amount_given"] == "300.00" and online["amount_requested"] == "3300.00"

    def test_the_report_refuses_an_unknown_grouping(self, world, case):
        r = Api(world.token(world.quality)).get("/discretion/report", by="colour")
        assert r.status_code == 422 and "by" in r.json()["fields"]

    def test_a_quality_manager_sets_a_new_policy_version(self, world, case):
        api = Api(world.token(world.quality))
        body = {"role": "frontline", "org_unit": world.shenzhen.pk, "kind": "waiver", "per_action_limit": "800"}
        r = api.post("/discretion/policies", body)
        assert r.status_code == 201 and r.json()["version"] == 1 and r.json()["per_action_limit"] == "800.00"
        assert api.post("/discretion/policies", {**body, "per_action_limit": "-5"}).status_code == 422
        past = {**body, "effective_from": at("2026-01-01 00:00").isoformat()}
        assert "effective_from" in api.post("/discretion/policies", past).json()["fields"]
        assert Api(world.token(world.frontline)).post("/discretion/policies", body).status_code == 403
        items = api.get("/discretion/policies").json()["items"]
        assert any(p["org_unit"]["code"] == "GD-SZ" and p["per_action_limit"] == "800.00" for p in items)
