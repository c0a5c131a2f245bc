"""The measure's procedures through the API: pause and resume, withdrawal, the decision letter and its check,
review (核查) with its own owner and due date, regulator transfers with the feedback owed."""

from decimal import Decimal

import pytest
from django.test import override_settings

from amends.accounts.models import Role, User
from amends.assembly.testing import at, receive
from amends.core import clock
from amends.core.tests.api_client import Api
from amends.intake.models import Complaint, ComplaintNotice, DecisionLetter

DECISION = {
    "decision": "部分支持：赔付维修费，不支持精神损失。",
    "result": "partly_upheld",
    "at_fault": True,
    "facts": "定损员未按约定时间到场，延误两日。",
    "reasons": "依据保险合同第十二条及公司服务承诺。",
    "offer": "赔付维修费并补偿交通费。",
    "offer_amount": "800.00",
}


@pytest.fixture
def complaint(world, now):
    return receive(world.frontline, world.individual)


@pytest.fixture
def handler(world):
    return Api(world.token(world.handler))


def kinds(complaint):
    return list(ComplaintNotice.objects.filter(complaint=complaint).order_by("at", "pk").values_list("kind", flat=True))


def test_a_pause_leaves_its_whole_days_out_and_the_complainant_is_told_both_times(world, complaint, handler):
    url = f"/complaints/{complaint.pk}/pauses"
    assert handler.post(url, {"reason": ""}).status_code == 422
    assert handler.post(url, {"reason": "送第三方机构做车损鉴定"}).status_code == 201
    assert handler.post(url, {"reason": "again"}).status_code == 409
    with clock.frozen(at("2026-11-09 15:00")):
        resumed = handler.post(f"{url}/resume", {})
    assert resumed.status_code == 200 and resumed.json()["days"] == 7
    complaint.refresh_from_db()
    assert complaint.due_at == at("2026-11-24 23:59:59") and complaint.paused_at is None
    assert kinds(complaint) == ["receipt", "pause", "resume"]


def test_a_withdrawal_ends_the_procedure_and_a_decided_complaint_cannot_be_withdrawn(world, now, handler):
    first = receive(world.frontline, world.individual)
    response = handler.post(f"/complaints/{first.pk}/withdrawal", {"reason": "客户已与理赔员协商解决"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    first.refresh_from_db()
    assert first.withdrawn_at == first.decided_at == now and first.case.due_at is None
    assert handler.post(f"/complaints/{first.pk}/withdrawal", {}).status_code == 409

    second = receive(world.frontline, world.online)
    assert handler.post(f"/complaints/{second.pk}/decision", DECISION).status_code == 200
    refused = handler.post(f"/complaints/{second.pk}/withdrawal", {})
    assert refused.status_code == 409 and refused.json()["error"] == "complaint_already_decided"


def test_the_decision_letter_states_what_the_measure_requires_and_tells_the_complainant(world, complaint, handler):
    answer = handler.post(f"/complaints/{complaint.pk}/decision", DECISION).json()
    assert answer["status"] == "decided" and answer["result"] == "partly_upheld"
    (letter,) = answer["letters"]
    assert letter["status"] == "sent" and letter["review_deadline"].startswith("2026-12-02")
    body = DecisionLetter.objects.get().body
    for words in ("定损员未按约定时间到场", "保险合同第十二条", "补偿交通费", "申请核查", "2026-12-02", "12378"):
        assert words in body
    assert kinds(complaint)[-1] == "decision"


@override_settings(AMENDS_LETTER_CHECK_ABOVE="500")
def test_a_letter_above_the_limit_waits_for_a_second_person_and_the_clock_runs_until_it_is_sent(
    world, complaint, handler
):
    answer = handler.post(f"/complaints/{complaint.pk}/decision", DECISION).json()
    assert answer["status"] == "open" and answer["letters"][0]["status"] == "awaiting_check"
    letter_id = answer["letters"][0]["id"]
    own = handler.post(f"/letters/{letter_id}/check", {"decision": "approve"})
    assert own.status_code == 403
    checked = Api(world.token(world.handler2)).post(f"/letters/{letter_id}/check", {"decision": "approve"})
    assert checked.status_code == 200 and checked.json()["status"] == "sent"
    assert Complaint.objects.get(pk=complaint.pk).decided_at is not None


def test_a_review_opens_at_the_superior_unit_with_its_own_due_date_and_outcome_notice(world, complaint, handler):
    gd = User.objects.create(username="gd_handler", role=Role.HANDLER, org_unit=world.guangdong)
    handler.post(f"/complaints/{complaint.pk}/decision", DECISION)
    with clock.frozen(at("2026-11-05 10:00")):
        review = handler.post(f"/complaints/{complaint.pk}/reviews", {"grounds": "不认可精神损失部分的结论"}).json()
    assert review["owner"] == gd.pk and review["due_at"].startswith("2026-12-07")  # 30 days: 12-05 is a Saturday
    assert handler.post(f"/complaints/{complaint.pk}/reviews", {"grounds": "再次"}).status_code == 409
    decided_by_handler = handler.post(f"/reviews/{review['id']}/decision", {"outcome": "confirmed", "decision": "维持"})
    assert decided_by_handler.status_code == 403  # took part in the decision (回避)
    with clock.frozen(at("2026-11-06 10:00")):
        decided = Api(world.token(gd)).post(
            f"/reviews/{review['id']}/decision", {"outcome": "confirmed", "decision": "经核查，维持原处理决定。"}
        )
    assert decided.status_code == 200 and decided.json()["outcome"] == "confirmed"
    assert kinds(complaint)[-2:] == ["review", "review_decision"]


def test_a_review_is_asked_within_the_configured_days(world, complaint, handler):
    handler.post(f"/complaints/{complaint.pk}/decision", DECISION)
    with clock.frozen(at("2026-12-03 00:00")):
        late = handler.post(f"/complaints/{complaint.pk}/reviews", {"grounds": "不认可"})
    assert late.status_code == 409 and late.json()["error"] == "review_too_late"


def test_a_regulator_transfer_keeps_its_number_deadline_and_feedback_and_is_exported(world, now, handler):
    c = receive(
        world.frontline,
        world.individual,
        channel="regulator",
        regulator_ref="12378-2026-44030001",
        regulator_due_at=at("2026-11-12 17:00"),
    )
    owed = handler.get("/regulator-transfers", owed="true").json()["results"]
    assert [(r["transfer_number"], r["feedback"]) for r in owed] == [("12378-2026-44030001", None)]
    given = handler.post(f"/complaints/{c.pk}/regulator-feedback", {"feedback": "已于11月10日答复客户并赔付。"})
    assert given.status_code == 200 and given.json()["regulator"]["feedback_at"] is not None
    csv_text = handler.get("/regulator-transfers", format="csv").content.decode("utf-8-sig")
    assert "12378-2026-44030001" in csv_text and "已于11月10日答复客户并赔付。" in csv_text
    assert handler.get("/regulator-transfers", owed="true").json()["results"] == []


def test_a_complaint_by_an_agent_needs_their_authority(world, now):
    with pytest.raises(Exception) as err:
        receive(world.frontline, world.individual, filed_as="agent", filer_name="张律师")
    assert "filer_authority" in err.value.fields  # type: ignore[attr-defined]
    c = receive(
        world.frontline,
        world.individual,
        filed_as="agent",
        filer_name="张律师",
        filer_contact="13600136000",
        filer_authority="授权委托书原件及受托人身份证明",
    )
    assert c.filed_as == "agent" and ComplaintNotice.objects.get(complaint=c).to == "13600136000"
    assert Decimal(DECISION["offer_amount"]) == Decimal("800.00")
