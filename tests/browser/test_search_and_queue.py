"""A handler's day in a real Chromium: "/" to the search box, a complaint found by its words and a customer by a
two-character name; a supervisor filters the queue, moves with j/k, ticks cases and reassigns them in one go.
Screenshots at laptop (1366×768) and phone (390×844) width in test-artifacts/browser/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world, receive
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def day(transactional_db):
    # Built before the browser starts (Playwright's loop and Django's database calls do not share a thread).
    catalogue.load(Journey, Touchpoint)
    world = make_world()
    words = "修车厂说尾灯总成要等三周，一直没人告诉我进度。"
    tail_light = receive(world.frontline, world.individual, description=words)
    for i, customer in enumerate([world.online, world.key_account]):
        receive(world.handler, customer, claim_no=f"CL-Q{i}")
    return world, tail_light, tail_light.case.reference


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")


def test_a_handler_finds_a_complaint_by_its_words_and_a_customer_by_name(day, page, live_server, artifacts):
    _, complaint, case_reference = day
    base = live_server.url
    login(page, base, "handler")
    page.keyboard.press("/")
    expect(page.locator("#topsearch-q")).to_be_focused()
    page.keyboard.type("尾灯总成")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="搜索", exact=True)).to_be_visible()
    hit = page.locator(".result--complaint")
    expect(hit).to_contain_text(complaint.reference)
    expect(hit).to_contain_text("尾灯总成")
    page.screenshot(path=str(artifacts / "search_words_laptop.png"), full_page=True)
    hit.locator("a").click()
    expect(page).to_have_url(f"{base}/cases/{complaint.case_id}/#complaint-{complaint.pk}")

    page.fill("#topsearch-q", "张伟")
    page.keyboard.press("Enter")
    expect(page.locator(".result--customer")).to_contain_text("C0001")
    expect(page.locator(".result--case")).to_contain_text(case_reference)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "search_name_phone.png"), full_page=True)


def test_a_supervisor_reassigns_ticked_cases_in_one_go(day, page, live_server, artifacts):
    world = day[0]
    base = live_server.url
    login(page, base, "supervisor")
    page.goto(f"{base}/?scope=all")
    rows = page.locator("[data-queue] tr[data-row]")
    expect(rows).to_have_count(3)
    expect(page.locator(".queue-counts")).to_contain_text("3")
    # j moves to the first row, j again to the second; x ticks it.
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class("is-current")
    page.keyboard.press("x")
    expect(rows.nth(1).locator("input[name=cases]")).to_be_checked()
    rows.nth(0).locator("input[name=cases]").check()
    page.fill("#bulk-owner", world.handler2.username)
    page.screenshot(path=str(artifacts / "queue_bulk_laptop.png"), full_page=True)
    page.get_by_role("button", name="改派", exact=True).click()
    expect(page.locator(".message--success")).to_contain_text("已改派 2 个案件")
    assert page.locator("[data-queue] tr", has_text="投诉专员陈刚").count() >= 2

    # Filter to one segment and save it as a view the team shares.
    page.locator(".morefilters summary").click()
    page.select_option("#id_segment", "key_account")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    page.locator(".saveview summary").click()
    page.fill("#view-name", "重点客户")
    page.locator("input[name=shared]").check()
    page.get_by_role("button", name="保存视图").click()
    expect(page.locator(".views")).to_contain_text("重点客户")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "queue_views_phone.png"), full_page=True)


@pytest.fixture
def at_follow_up(transactional_db):
    from amends.recovery import services as recovery

    catalogue.load(Journey, Touchpoint)
    world = make_world()
    complaint = receive(world.frontline, world.individual, description="定损员一直没来。")
    for step in ("apology", "fix", "empathy", "atonement"):
        recovery.step_record(actor=world.handler, case_id=complaint.case_id, step=step, note="已处理")
    return complaint


def test_on_a_phone_the_case_page_orders_complaint_steps_customer_and_the_follow_up_links_to_the_decision(
    at_follow_up, page, live_server, artifacts
):
    complaint = at_follow_up
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "handler")
    page.goto(f"{base}/cases/{complaint.case_id}/")
    # A handler on a phone: how urgent (the head, with the priority), what the customer complained of, the
    # next step's form, then whom to call; the rest below.
    head = page.locator(".casehead").bounding_box()
    customer = page.get_by_role("heading", name="客户", exact=True).bounding_box()
    steps = page.locator(".stepform").bounding_box()
    complaints = page.locator(f"#complaint-{complaint.pk}").bounding_box()
    timeline = page.locator("#timeline").bounding_box()
    assert head and customer and steps and complaints and timeline
    assert head["y"] < complaints["y"] < steps["y"] < customer["y"] < timeline["y"]
    page.screenshot(path=str(artifacts / "case_follow_up_phone.png"), full_page=True)
    decide = page.locator(f"#decide-{complaint.pk}")
    expect(decide).not_to_have_attribute("open", "")
    page.locator(f'.stepform a[href="#decide-{complaint.pk}"]').click()
    expect(decide).to_have_attribute("open", "")
    expect(decide.locator("textarea[name=decision]")).to_be_in_viewport()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=str(artifacts / "case_follow_up_laptop.png"), full_page=True)
