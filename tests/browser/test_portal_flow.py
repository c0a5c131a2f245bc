"""A customer on a phone (390×844) files a complaint on the public portal, opens the private link, and, once
the complaint is handled, answers the follow-up survey that reached them by text message, in a real Chromium.

Staff work between the customer's visits (the four steps, the decision, the survey sweep) runs through the
services in a worker thread: Playwright's sync API keeps an event loop in this thread, where Django refuses
database calls. Screenshots of every page at phone and laptop width go to test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import make_world
from amends.correspondence import sms
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db):
    catalogue.load(Journey, Touchpoint)
    sms.outbox.clear()
    return make_world()


def _handle(case_id: int, admin_id: int) -> None:
    from amends.accounts.models import User
    from amends.followup.services import surveys_sweep
    from amends.followup.tests.helpers import to_follow_up

    to_follow_up(User.objects.get(pk=admin_id), case_id)
    surveys_sweep()


def _only_case_id() -> int:
    from amends.intake.models import Complaint

    return Complaint.objects.get().case_id


def _case_state(reference: str) -> tuple[str, str]:
    from amends.intake.models import Complaint

    complaint = next(c for c in Complaint.objects.select_related("case") if c.reference == reference)
    return complaint.case.status, complaint.case.closure


def test_a_customer_complains_follows_and_answers_on_a_phone(world, page, live_server, artifacts, in_thread, shoot):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/complain/")
    expect(page.get_by_role("heading", name="告诉我们哪里做得不好")).to_be_visible()
    expect(page.locator("footer")).to_contain_text("12378")
    shoot("portal_form")

    # A first try without the story: the form says what is missing and keeps what was typed.
    page.fill("#id_name", "周敏")
    page.fill("#id_phone", "13612345678")
    page.get_by_role("button", name="提交投诉").click()
    expect(page.locator(".field__error").first).to_be_visible()
    expect(page.locator("#id_phone")).to_have_value("13612345678")
    shoot("portal_form_errors")

    page.fill("#id_description", "理赔款说好三天到账，已经过了一周还没有收到，打电话也没人说清楚。")
    page.fill("#id_request", "尽快支付赔款，并告诉我确切的到账时间。")
    page.locator("label.pub-pill", has_text="短信").click()
    page.get_by_role("button", name="提交投诉").click()
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"TS-\d{4}-\d{6}", reference)
    shoot("portal_acknowledged")
    # The same link reached the phone by text message.
    link = page.get_by_test_id("status-link").get_attribute("href") or ""
    path = link.removeprefix(base)
    assert path.startswith("/complain/status/") and any(path in s.text for s in sms.outbox)

    page.get_by_test_id("status-link").click()
    expect(page.get_by_role("heading", name=reference)).to_be_visible()
    expect(page.locator(".pub-step--done")).to_have_count(1)
    shoot("portal_status_received")

    case_id = in_thread(_only_case_id)
    in_thread(lambda: _handle(case_id, world.admin.pk))
    page.reload()
    expect(page.locator(".pub-done li")).to_have_count(4)
    # The survey link reaches the customer's phone only; the page says it was sent.
    expect(page.get_by_text("回访问卷")).to_be_visible()
    expect(page.locator('a[href*="/survey/"]')).to_have_count(0)
    shoot("portal_status_decided")

    survey_text = next(s.text for s in sms.outbox if "/survey/" in s.text)
    survey_path = re.search(r"(/survey/\S+/)", survey_text)
    assert survey_path
    page.goto(base + survey_path.group(1))
    expect(page.get_by_role("heading", name="简短回访")).to_be_visible()
    shoot("portal_survey")
    page.locator("fieldset", has_text="问题解决了吗").locator("label.pub-pill", has_text="是").click()
    page.locator("fieldset", has_text="总体来说").locator("label.pub-pill", has_text="4").click()
    page.locator("fieldset", has_text="信度").locator("label.pub-pill", has_text="5").click()
    page.locator("fieldset", has_text="续保").locator("label.pub-pill").nth(9).click()
    page.fill("#id_comment", "处理得很及时，谢谢。")
    page.get_by_role("button", name="提交回答").click()
    expect(page.get_by_role("heading", name="感谢您的回答。")).to_be_visible()
    shoot("portal_survey_done")

    assert in_thread(lambda: _case_state(reference)) == ("closed", "recovered")
    page.goto(link)
    expect(page.locator(".pub-state--done")).to_be_visible()
    shoot("portal_status_closed")
