"""A complaint handler's day, in a real Chromium: sign in, take a complaint for an existing customer through
the form, land on its case, record the apology, see it on the timeline, then read the page in English and in
traditional Chinese. It looks at what a person sees, not at rows.

Runs against pytest-django's live server (a real thread, so the database must be shared: transactional).
A transactional test before this one may have flushed the journey catalogue that a data migration loads, so
the fixture loads it again (idempotently). Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    # Built before the browser starts: Playwright's sync API runs an event loop in this thread, and Django
    # refuses database calls from a thread with a running loop.
    catalogue.load(Journey, Touchpoint)
    return make_world()


def test_a_handler_takes_a_complaint_and_records_the_apology(people, page, live_server, artifacts):
    world = people
    base = live_server.url

    # Sign in: the login page already speaks Chinese and offers the other languages.
    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    page.fill("#id_username", "handler")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()

    # Take a complaint for an existing customer, found by the search box (htmx swaps in the result rows).
    page.get_by_role("link", name="登记投诉").click()
    expect(page.get_by_role("heading", name="登记投诉")).to_be_visible()
    page.fill("#id_q", "张")
    pick = page.locator(f'input[name="customer"][value="{world.individual.pk}"]')
    expect(pick).to_be_visible()
    pick.check()
    page.select_option("#id_channel", "hotline")
    page.fill("#id_policy_no", world.auto_policy.policy_no)
    page.select_option("#id_touchpoint", "auto_claim.assessment")
    page.fill("#id_description", "定损员约好上午九点到现场，一直没有来。")
    page.fill("#id_request", "今天之内完成定损。")
    page.check("#id_request_confirmed")
    page.locator('button[name="action"][value="record"]').click()

    # The case page, with the complaint's reference and deadline in the confirmation.
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/cases/\d+/$"))
    expect(page.locator(".message--success")).to_contain_text(re.compile(r"投诉 TS-\d{4}-\d{6} 已登记"))
    expect(page.locator(".stepform h3")).to_have_text("下一步：道歉")

    # Record the apology; htmx posts it and swaps the page in place.
    apology = "电话致歉：查勘员没有按约定时间到达，是我们的失误，非常抱歉。"
    page.fill("#id_note", apology)
    page.locator('.stepform button[name="action"][value="record"]').click()
    expect(page.locator(".message--success")).to_contain_text("“道歉”已登记")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(apology)
    expect(timeline).to_contain_text("登记步骤 · 道歉")
    expect(page.locator(".stepper__item--done")).to_have_count(1)
    expect(page.locator(".stepform h3")).to_have_text("下一步：紧急修复")
    case_url = page.url

    # The same page in English, then in traditional Chinese.
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("heading", name="The five steps")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Step recorded · Apology")
    expect(page.locator(".stepform h3")).to_have_text("Next: Fix")
    page.screenshot(path=str(artifacts / "handler_flow_en.png"), full_page=True)

    page.get_by_role("button", name="繁體").click()
    expect(page.get_by_role("heading", name="補救五步")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("登記步驟 · 道歉")
    expect(page.get_by_role("heading", name="時間線")).to_be_visible()
