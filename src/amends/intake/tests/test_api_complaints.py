"""POST /api/v1/complaints and friends, through the HTTP stack, then the rows."""

import pytest

from amends.assembly.testing import at
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.tests.api_client import Api
from amends.intake.models import Complaint
from amends.recovery.models import Case


@pytest.fixture
def api(world):
    return Api(world.token(world.frontline))


def body(world, **overrides):
    payload = {
        "channel": "hotline",
        "received_at": "2026-11-01T09:30:00+08:00",
        "customer": {"id": world.individual.pk},
        "policy_no": world.auto_policy.policy_no,
        "claim_no": "CL2026110100007",
        "touchpoint": "auto_claim.salvage",
        "description": "换件清单未注明须交残，理赔时却扣残值300元。",
        "request": "全额赔付",
        "request_confirmed": True,
    }
    payload.update(overrides)
    return payload


def test_a_complaint_is_created_with_its_case_and_deadline(api, world, now):
    response = api.post("/complaints", body(world), headers={"Idempotency-Key": "7f3e-1"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"].startswith("TS-2026-") and data["case"]["reference"].startswith("BJ-2026-")
    assert data["due_at"] == "2026-11-16T23:59:59+08:00"  # the 15th day after receipt, to its end
    assert data["status"] == "open" and data["case"]["status"] == "open"
    complaint = Complaint.objects.get(pk=data["id"])
    assert complaint.case_id == data["case"]["id"] and complaint.created_by == world.frontline


def test_a_new_customer_may_come_with_the_complaint(api, world, now):
    response = api.post(
        "/complaints", body(world, customer={"name": "周杰", "phone": "13612345678", "segment": "online"}, policy_no="")
    )
    assert response.status_code == 201
    assert response.json()["customer"]["name"] == "周杰"


def test_the_same_idempotency_key_returns_the_same_complaint(api, world, now):
    first = api.post("/complaints", body(world), headers={"Idempotency-Key": "retry-1"})
    second = api.post("/complaints", body(world), headers={"Idempotency-Key": "retry-1"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Complaint.objects.count() == 1


def test_a_reused_key_with_another_body_is_a_409(api, world, now):
    api.post("/complaints", body(world), headers={"Idempotency-Key": "retry-2"})
    response = api.post("/complaints", body(world, request="另一个诉求"), headers={"Idempotency-Key": "retry-2"})
    assert response.status_code == 409
    assert response.json()["error"] == "idempotency_key_reused"


class TestBadInput:
    def test_missing_and_wrong_fields_are_listed_and_nothing_is_written(self, api, world, now):
        audit_before = AuditEntry.objects.count()
        response = api.post("/complaints", {"channel": "hotline", "customer": {"id": "abc"}})
        assert response.status_code == 422
        data = response.json()
        assert data["error"] == "invalid" and data["detail"]
        assert {"description", "request", "customer.id"} <= set(data["fields"])
        assert (Complaint.objects.count(), Case.objects.count(), AuditEntry.objects.count()) == (0, 0, audit_before)

    def test_business_validation_uses_the_same_shape(self, api, world, now):
        response = api.post("/complaints", body(world, channel="pigeon", touchpoint="auto_claim.nowhere"))
        assert response.status_code == 422
        assert set(response.json()["fields"]) == {"channel", "touchpoint"}

    def test_a_receipt_time_in_the_future_is_refused(self, api, world, now):
        response = api.post("/complaints", body(world, received_at="2027-01-01T00:00:00+08:00"))
        assert response.status_code == 422 and "received_at" in response.json()["fields"]

    def test_a_negative_loss_is_refused(self, api, world, now):
        response = api.post("/complaints", body(world, loss_amount="-1"))
        assert response.status_code == 422 and "loss_amount" in response.json()["fields"]

    def test_broken_json_is_a_400(self, api):
        response = api.post("/complaints", '{"channel": ')
        assert response.status_code == 400
        assert response.json() == {"error": "bad_json", "detail": response.json()["detail"], "fields": {}}

    def test_no_token_is_a_401_in_the_same_shape(self, world):
        response = Api(None).post("/complaints", {})
        assert response.status_code == 401 and response.json()["error"] == "unauthenticated"

    def test_a_wrong_token_is_a_401(self, world):
        assert Api("amd_nope").get("/cases").status_code == 401

    def test_a_quality_manager_cannot_create_complaints(self, world, now):
        response = Api(world.token(world.quality)).post("/complaints", body(world))
        assert response.status_code == 403 and response.json()["error"] == "forbidden"


class TestClockEndpoints:
    @pytest.fixture
    def complaint_id(self, api, world, now):
        return api.post("/complaints", body(world)).json()["id"]

    def test_decision(self, world, complaint_id):
        handler = Api(world.token(world.handler))
        response = handler.post(f"/complaints/{complaint_id}/decision", {"decision": "全额赔付，不扣残值"})
        assert response.status_code == 200 and response.json()["status"] == "decided"

    def test_the_decision_records_its_result_and_whether_the_insurer_was_at_fault(self, world, complaint_id):
        handler = Api(world.token(world.handler))
        payload = {"decision": "部分赔付", "result": "partly_upheld", "at_fault": True}
        assert handler.post(f"/complaints/{complaint_id}/decision", payload).status_code == 200
        assert Complaint.objects.filter(pk=complaint_id, result="partly_upheld", at_fault=True).exists()

    def test_a_result_outside_the_three_is_refused_and_nothing_is_decided(self, world, complaint_id):
        handler = Api(world.token(world.handler))
        response = handler.post(f"/complaints/{complaint_id}/decision", {"decision": "x", "result": "maybe"})
        assert response.status_code == 422 and "result" in response.json()["fields"]
        assert Complaint.objects.get(pk=complaint_id).decided_at is None

    def test_extension_then_approval(self, world, complaint_id):
        handler, senior = Api(world.token(world.handler)), Api(world.token(world.senior))
        extend = f"/complaints/{complaint_id}/extensions"
        assert handler.post(extend, {"level": 1, "reason": "需复核定损照片"}).status_code == 201
        pending = handler.post(extend, {"level": 2, "reason": "需第三方鉴定"}).json()
        assert pending["status"] == "pending"
        refused = Api(world.token(world.supervisor)).post(
            f"/extensions/{pending['id']}/decision", {"decision": "approve"}
        )
        assert refused.status_code == 403 and refused.json()["error"] == "extension_needs_superior"
        decided = senior.post(f"/extensions/{pending['id']}/decision", {"decision": "approve"})
        assert decided.status_code == 200 and decided.json()["due_at"] == "2026-12-31T23:59:59+08:00"

    def test_an_extension_after_the_due_time_is_a_409_with_the_due_time(self, world, complaint_id):
        with clock.frozen(at("2026-11-28 10:00")):
            response = Api(world.token(world.handler)).post(
                f"/complaints/{complaint_id}/extensions", {"level": 1, "reason": "需调取行车记录仪视频"}
            )
        assert response.status_code == 409
        assert response.json()["error"] == "extension_after_due"
        assert response.json()["fields"]["due_at"] == ["2026-11-16T23:59:59+08:00"]

    def test_an_unknown_level_is_refused(self, world, complaint_id):
        response = Api(world.token(world.handler)).post(
            f"/complaints/{complaint_id}/extensions", {"level": 3, "reason": "x"}
        )
        assert response.status_code == 422 and "level" in response.json()["fields"]

    def test_another_branch_cannot_touch_it(self, world, complaint_id):
        response = Api(world.token(world.beijing_handler)).post(
            f"/complaints/{complaint_id}/decision", {"decision": "x"}
        )
        assert response.status_code == 404 and response.json()["error"] == "not_found"


class TestErrorLanguage:
    def test_field_messages_follow_the_request_language_and_codes_do_not(self, api, world):
        zh = api.client.post(
            "/api/v1/complaints",
            {"channel": "hotline", "loss_amount": "many", "customer": {"id": "x"}},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="zh-CN",
            **api.headers,
        ).json()
        en = api.client.post(
            "/api/v1/complaints",
            {"channel": "hotline", "loss_amount": "many", "customer": {"id": "x"}},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
            **api.headers,
        ).json()
        assert zh["error"] == en["error"] == "invalid" and set(zh["fields"]) == set(en["fields"])
        assert zh["fields"]["description"] == ["此项必填。"]
        assert zh["fields"]["customer.id"] == ["请输入整数。"]
        assert en["fields"]["description"] == ["This field is required."]
        assert en["fields"]["customer.id"] == ["Enter a whole number."]
        assert en["fields"]["loss_amount"] == ["Enter an amount, e.g. 300.00."]
