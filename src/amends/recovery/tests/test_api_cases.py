"""GET /api/v1/cases, GET /api/v1/cases/{id}, POST /api/v1/cases/{id}/steps, through the HTTP stack."""

from datetime import timedelta

import pytest

from amends.assembly.testing import receive
from amends.core import clock
from amends.core.tests.api_client import Api
from amends.recovery.models import CaseStep, Step


@pytest.fixture
def handler_api(world):
    return Api(world.token(world.handler))


@pytest.fixture
def case(world, now):
    return receive(world.frontline, world.individual).case


def test_the_case_comes_with_customer_complaints_steps_and_timeline(handler_api, case):
    response = handler_api.get(f"/cases/{case.pk}")
    assert response.status_code == 200
    data = response.json()
    assert response["ETag"] == f'"{data["version"]}"'
    assert data["customer"]["name"] == "张伟" and data["customer"]["phone"] == "13800138000"
    assert [c["reference"] for c in data["complaints"]] == [case.complaints.get().reference]
    assert data["next_step"] == "apology" and data["steps"] == []
    assert [t["kind"] for t in data["timeline"]] == ["complaint", "assigned", "message"]  # the receipt notice
    assert {f["code"] for f in data["priority_factors"]} >= {"touchpoint_criticality"}


def test_contacts_are_masked_for_roles_that_do_not_call_customers(world, case):
    data = Api(world.token(world.quality)).get(f"/cases/{case.pk}").json()
    assert data["customer"]["phone"] == "138****8000" and data["customer"]["masked"] is True


def test_recording_a_step_returns_the_updated_case(handler_api, case):
    response = handler_api.post(f"/cases/{case.pk}/steps", {"step": "apology", "note": "已致歉"})
    assert response.status_code == 201
    data = response.json()
    assert data["next_step"] == "fix" and data["steps"][0]["step"] == "apology"
    assert data["timeline"][-1]["kind"] == "step"


def test_a_step_out_of_order_is_a_422_with_a_clear_message(handler_api, case):
    response = handler_api.post(f"/cases/{case.pk}/steps", {"step": "atonement", "note": "送券"})
    assert response.status_code == 422
    data = response.json()
    assert data["error"] == "step_out_of_order" and "step" in data["fields"]
    assert str(Step.APOLOGY.label) in data["detail"]


def test_an_unknown_step_is_a_422(handler_api, case):
    response = handler_api.post(f"/cases/{case.pk}/steps", {"step": "refund", "note": "x"})
    assert response.status_code == 422 and "step" in response.json()["fields"]


def test_a_stale_if_match_is_a_409(world, handler_api, case):
    etag = handler_api.get(f"/cases/{case.pk}")["ETag"]
    Api(world.token(world.handler2)).post(f"/cases/{case.pk}/steps", {"step": "apology", "note": "先到"})
    response = handler_api.client.post(
        f"/api/v1/cases/{case.pk}/steps",
        {"step": "apology", "note": "后到"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **handler_api.headers,
    )
    assert response.status_code == 409 and response.json()["error"] == "stale_version"
    assert CaseStep.objects.filter(case=case).count() == 1


def test_a_follow_up_attempt_that_does_not_conclude_answers_200(handler_api, case):
    for step in ("apology", "fix", "empathy", "atonement"):
        handler_api.post(f"/cases/{case.pk}/steps", {"step": step, "note": "ok"})
    complaint = case.complaints.get()
    handler_api.post(f"/complaints/{complaint.pk}/decision", {"decision": "全额赔付"})
    response = handler_api.post(
        f"/cases/{case.pk}/steps", {"step": "follow_up", "note": "未接", "outcome": "unreachable"}
    )
    assert response.status_code == 200 and response.json()["status"] == "follow_up"


class TestQueue:
    def test_overdue_first_then_by_priority(self, world, handler_api, now):
        with clock.frozen(now - timedelta(days=20)):
            late = receive(world.frontline, world.online, claim_no="CL-LATE").case
        low = receive(world.frontline, world.online, claim_no="CL-LOW", touchpoint="sale.delivery").case
        high = receive(world.handler, world.key_account, claim_no="CL-HIGH").case
        items = Api(world.token(world.supervisor)).get("/cases").json()["items"]
        assert [i["id"] for i in items] == [late.pk, high.pk, low.pk]
        assert items[0]["overdue"] is True and items[1]["overdue"] is False

    def test_filters_and_pagination(self, world, now):
        for n in range(5):
            receive(world.frontline, world.online, claim_no=f"CL-{n}")
        api = Api(world.token(world.supervisor))
        page1 = api.get("/cases", page_size=2).json()
        page3 = api.get("/cases", page_size=2, page=3).json()
        assert (len(page1["items"]), page1["has_more"]) == (2, True)
        assert (len(page3["items"]), page3["has_more"]) == (1, False)
        assert api.get("/cases", overdue="true").json()["items"] == []
        assert api.get("/cases", status="closed").json()["items"] == []
        mine = Api(world.token(world.handler)).get("/cases", owner="me").json()["items"]
        assert all(i["owner"]["username"] == "handler" for i in mine)

    def test_overdue_pages_continue_into_the_rest(self, world, now):
        with clock.frozen(now - timedelta(days=20)):
            for n in range(3):
                receive(world.frontline, world.online, claim_no=f"CL-OLD-{n}")
        for n in range(3):
            receive(world.frontline, world.online, claim_no=f"CL-NEW-{n}")
        api = Api(world.token(world.supervisor))
        seen = []
        for page in (1, 2, 3):
            data = api.get("/cases", page_size=2, page=page).json()
            seen += [(i["id"], i["overdue"]) for i in data["items"]]
        assert [o for _, o in seen] == [True, True, True, False, False, False]
        assert len({i for i, _ in seen}) == 6

    def test_bad_filters_are_422(self, handler_api):
        response = handler_api.get("/cases", status="lost", page=0)
        assert response.status_code == 422 and {"status", "page"} <= set(response.json()["fields"])

    def test_an_unknown_owner_is_422(self, handler_api):
        assert handler_api.get("/cases", owner="nobody").status_code == 422

    def test_a_case_of_another_branch_is_404(self, world, case):
        assert Api(world.token(world.beijing_handler)).get(f"/cases/{case.pk}").status_code == 404


def test_the_openapi_document_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/complaints", "/api/v1/cases", "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/steps"} <= set(
        schema["paths"]
    )
    assert client.get("/api/v1/docs").status_code == 200


class TestAssignEndpoint:
    def test_a_supervisor_hands_the_case_to_a_named_handler(self, world, case):
        other = "handler2" if case.owner == world.handler else "handler"
        data = Api(world.token(world.supervisor)).post(f"/cases/{case.pk}/assign", {"owner": other}).json()
        assert data["owner"]["username"] == other
        assert data["timeline"][-1]["kind"] == "assigned"

    def test_no_owner_lets_the_rules_choose(self, world, case):
        data = Api(world.token(world.supervisor)).post(f"/cases/{case.pk}/assign", {"owner": None}).json()
        assert data["owner"]["username"] in {"handler", "handler2"}

    def test_a_handler_may_not_reassign(self, world, case):
        response = Api(world.token(world.handler)).post(f"/cases/{case.pk}/assign", {"owner": "handler2"})
        assert response.status_code == 403

    def test_an_unknown_owner_is_422(self, world, case):
        response = Api(world.token(world.supervisor)).post(f"/cases/{case.pk}/assign", {"owner": "ghost"})
        assert response.status_code == 422 and "owner" in response.json()["fields"]

    def test_a_handler_of_another_branch_is_answered_like_an_unknown_user(self, world, case):
        api = Api(world.token(world.supervisor))
        theirs = api.post(f"/cases/{case.pk}/assign", {"owner": world.beijing_handler.username})
        ghost = api.post(f"/cases/{case.pk}/assign", {"owner": "ghost"})
        assert theirs.status_code == ghost.status_code == 422 and theirs.json() == ghost.json()

    def test_even_the_head_office_cannot_give_a_case_to_someone_who_could_not_open_it(self, world, case):
        response = Api(world.token(world.admin)).post(f"/cases/{case.pk}/assign", {"owner": "bj_handler"})
        assert response.status_code == 422 and "owner" in response.json()["fields"]
        case.refresh_from_db()
        assert case.owner_id != world.beijing_handler.pk

    def test_a_stale_version_is_409(self, world, case):
        api = Api(world.token(world.supervisor))
        response = api.post(f"/cases/{case.pk}/assign", {"owner": "handler2", "version": case.version - 1})
        assert response.status_code == 409


def test_a_failure_is_coded_with_its_cause_dimension_and_gap(world, handler_api, case):
    from amends.assembly.testing import failure
    from amends.audit.models import AuditEntry

    row = failure(case, "2026-11-01 10:00", "auto_claim.payment")
    answer = handler_api.post(f"/cases/{case.pk}/failures/{row.pk}/code", {"gap": 2, "cause": "company"})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"id": row.pk, "cause": "company", "dimension": "", "gap": 2}
    assert AuditEntry.objects.filter(action="failure.code").count() == 1
    bad = handler_api.post(f"/cases/{case.pk}/failures/{row.pk}/code", {"gap": 5, "dimension": "speed"})
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"gap", "dimension"}
    other = Api(world.token(world.beijing_handler)).post(f"/cases/{case.pk}/failures/{row.pk}/code", {"gap": 1})
    assert other.status_code == 404
    row.refresh_from_db()
    assert (row.gap, row.cause) == (2, "company")
