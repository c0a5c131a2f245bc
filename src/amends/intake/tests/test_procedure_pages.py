"""The procedure's forms on the case page: pause and resume, withdrawal, the second person's letter check,
the review decision and the regulator feedback; each refusal is shown on its form, never a 500."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.test import override_settings

from amends.accounts.models import Role, User
from amends.assembly.testing import at, receive
from amends.core import clock
from amends.intake import services
from amends.intake.models import Complaint, DecisionLetter

DECISION = {
    "decision": "部分支持：赔付维修费。",
    "result": "partly_upheld",
    "facts": "定损员未按约定时间到场。",
    "reasons": "依据保险合同第十二条。",
    "offer": "赔付维修费",
    "offer_amount": "800.00",
}


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def complaint(world, now):
    return receive(world.frontline, world.individual)


def url(c, action):
    return f"/cases/{c.case_id}/complaints/{c.pk}/{action}/"


def test_a_handler_pauses_and_resumes_the_clock_on_the_case_page(en, world, complaint):
    en.force_login(world.handler)
    refused = en.post(url(complaint, "pause"), {"reason": ""})
    assert refused.status_code == 422 and "Say which appraisal" in refused.content.decode()
    assert en.post(url(complaint, "pause"), {"reason": "车损鉴定"}).status_code == 302
    page = en.get(f"/cases/{complaint.case_id}/").content.decode()
    assert "Clock paused" in page and "resume the clock" in page
    with clock.frozen(at("2026-11-09 15:00")):
        assert en.post(url(complaint, "resume"), {}).status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).paused_days == 7


def test_a_withdrawal_on_the_page_ends_the_procedure_and_a_second_is_refused(en, world, complaint):
    en.force_login(world.handler)
    assert en.post(url(complaint, "withdrawal"), {"reason": "已协商解决"}).status_code == 302
    assert "the procedure has ended" in en.get(f"/cases/{complaint.case_id}/").content.decode()
    again = en.post(url(complaint, "withdrawal"), {})
    assert again.status_code == 409 and "already withdrawn" in again.content.decode()


@override_settings(AMENDS_LETTER_CHECK_ABOVE="500")
def test_a_letter_is_checked_by_a_second_person_on_the_page(en, client, world, complaint):
    en.force_login(world.handler)
    assert en.post(url(complaint, "decision"), DECISION).status_code == 302
    letter = DecisionLetter.objects.get(complaint=complaint)
    page = en.get(f"/cases/{complaint.case_id}/").content.decode()
    assert "Waiting for a second person" in page and "Checked: send the letter" in page
    check = f"/cases/{complaint.case_id}/letters/{letter.pk}/check/"
    own = en.post(check, {"decision": "approve"})
    assert own.status_code == 403 and "someone other than its author" in own.content.decode()
    en.force_login(world.handler2)
    assert en.post(check, {"decision": "approve"}).status_code == 302
    assert DecisionLetter.objects.get(pk=letter.pk).status == "sent"
    assert Complaint.objects.get(pk=complaint.pk).decided_at is not None


def test_a_bad_amount_is_refused_on_the_decision_form(en, world, complaint):
    en.force_login(world.handler)
    refused = en.post(url(complaint, "decision"), {**DECISION, "offer_amount": "abc"})
    assert refused.status_code == 422 and not DecisionLetter.objects.exists()


def test_the_review_is_decided_on_the_page_by_the_superior_unit(en, world, complaint):
    gd = User.objects.create(username="gd_handler", role=Role.HANDLER, org_unit=world.guangdong)
    services.complaint_decide(
        actor=world.handler, complaint_id=complaint.pk, **{**DECISION, "offer_amount": Decimal("800.00")}
    )
    review = services.review_request(actor=world.handler, complaint_id=complaint.pk, grounds="不认可")
    decide = f"/cases/{complaint.case_id}/reviews/{review.pk}/decision/"
    en.force_login(world.handler)
    assert en.post(decide, {"outcome": "confirmed", "decision": "维持"}).status_code == 403
    en.force_login(gd)
    missing = en.post(decide, {"outcome": "", "decision": ""})
    assert missing.status_code == 422 and "confirmed or changed" in missing.content.decode()
    assert en.post(decide, {"outcome": "changed", "decision": "经核查，改为全额赔付。"}).status_code == 302
    assert "Decision changed" in en.get(f"/cases/{complaint.case_id}/").content.decode()


def test_the_feedback_to_the_regulator_is_recorded_on_the_page(en, world, now):
    c = receive(world.frontline, world.individual, channel="regulator", regulator_ref="12378-2026-1")
    en.force_login(world.handler)
    assert "Record the feedback given to the regulator" in en.get(f"/cases/{c.case_id}/").content.decode()
    assert en.post(url(c, "regulator-feedback"), {"feedback": ""}).status_code == 422
    assert en.post(url(c, "regulator-feedback"), {"feedback": "已答复客户"}).status_code == 302
    assert Complaint.objects.get(pk=c.pk).regulator_feedback == "已答复客户"


def test_the_letter_page_prints_the_text_as_sent_and_the_database_keeps_it(en, world, complaint):
    en.force_login(world.handler)
    en.post(url(complaint, "decision"), DECISION)
    letter = DecisionLetter.objects.get(complaint=complaint)
    page = en.get(f"/letters/{letter.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "定损员未按约定时间到场" in text and "申请核查" in text
    assert f'href="/letters/{letter.pk}/"' in en.get(f"/cases/{complaint.case_id}/").content.decode()
    en.force_login(world.beijing_handler)
    assert en.get(f"/letters/{letter.pk}/").status_code == 404  # another branch's letter
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionLetter.objects.filter(pk=letter.pk).update(facts="改写过的事实")
    assert DecisionLetter.objects.get(pk=letter.pk).facts == DECISION["facts"]
