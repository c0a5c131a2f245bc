"""A handler works the early-warning inbox in a real Chromium: the ¥300 salvage mismatch and a claim with
three unanswered calls are waiting; they filter, acknowledge, open a recovery case with the playbook
pre-filled, and resolve. Screenshots at laptop (1366×900) and phone (390×844) width in test-artifacts/browser/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world
from amends.core import clock
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint
from amends.warning.models import Playbook, RuleConfig
from amends.warning.playbooks_seed import seed_playbooks
from amends.warning.rules.runner import run_scheduled
from amends.warning.rules.seed import seed_rule_configs
from amends.warning.services import event_ingest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ev(n, kind, at, claim, touchpoint="", **attributes):
    event = {
        "event_id": f"b{n}",
        "type": kind,
        "occurred_at": at.isoformat(),
        "customer_ref": "C0001",
        "claim_no": claim,
    }
    if touchpoint:
        event["touchpoint"] = touchpoint
    if attributes:
        event["attributes"] = attributes
    return event


@pytest.fixture
def alerts(transactional_db):
    # Built before the browser starts (Playwright's loop and Django's database calls do not share a thread).
    catalogue.load(Journey, Touchpoint)
    world = make_world()
    seed_rule_configs(RuleConfig)
    seed_playbooks(Playbook, Touchpoint)
    now = clock.now()
    event_ingest(
        actor=None,
        events=[
            ev(
                1,
                "parts_list.issued",
                now - timedelta(days=1),
                "CL300",
                "auto_claim.salvage",
                salvage_parts=["后保险杠"],
            ),
            ev(
                2,
                "salvage.required",
                now - timedelta(hours=2),
                "CL300",
                "auto_claim.salvage",
                part="尾灯总成",
                amount="300.00",
            ),
            ev(3, "contact.inbound", now - timedelta(days=4), "CL7", "auto_claim.payment"),
            ev(4, "contact.inbound", now - timedelta(days=2), "CL7", "auto_claim.payment"),
            ev(5, "contact.inbound", now - timedelta(hours=1), "CL7", "auto_claim.payment"),
            ev(6, "claim.reported", now - timedelta(hours=20), "CL8", "auto_claim.report"),
        ],
    )
    run_scheduled(now=now)
    return world


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")


def test_a_handler_works_the_alert_inbox(alerts, page, live_server, artifacts):
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, base, "handler")
    page.get_by_role("link", name="预警", exact=True).click()
    expect(page.get_by_role("heading", name="服务补救预警")).to_be_visible()
    cards = page.locator(".alertcard")
    expect(cards).to_have_count(3)
    salvage = page.locator(".alertcard", has_text="尾灯总成")
    expect(salvage).to_contain_text("¥300.00")
    expect(salvage.locator(".sev--3")).to_be_visible()
    # The salvage rule opened its case by itself: the card links it and offers no second one.
    expect(salvage.locator("a.ref")).to_be_visible()
    expect(salvage.get_by_role("button", name="立案补救")).to_have_count(0)
    page.screenshot(path=str(artifacts / "alert_inbox_laptop.png"), full_page=True)

    # Filter to critical only.
    page.select_option("#id_severity", "3")
    page.get_by_role("button", name="筛选").click()
    expect(cards).to_have_count(1)
    page.goto(f"{base}/alerts/")

    # Acknowledge the imminent assessor breach.
    stage = page.locator(".alertcard", has_text="CL8")
    stage.get_by_role("button", name="确认接收").click()
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator(".alertcard", has_text="CL8").locator(".astatus--acknowledged")).to_be_visible()

    # Open a recovery case from the repeated calls: the case page carries the payment playbook.
    calls = page.locator(".alertcard", has_text="CL7")
    calls.get_by_role("button", name="立案补救").click()
    expect(page.locator(".casehead__ref")).to_be_visible()
    playbook = page.locator("#playbook")
    expect(playbook).to_contain_text("赔款没有在承诺的时间内到账")
    expect(page.locator(".timeline")).to_contain_text("本关键时刻的补救预案")
    # The plan is the starting text of what the handler says and does: the apology step is prefilled.
    expect(page.locator("textarea[name=note]")).to_have_value(re.compile("赔款没有在承诺的时间内到账"))
    page.screenshot(path=str(artifacts / "alert_case_playbook_laptop.png"), full_page=True)

    # Resolve the imminent breach with a note; it leaves the live inbox.
    page.goto(f"{base}/alerts/")
    stage = page.locator(".alertcard", has_text="CL8")
    stage.locator("input[name=resolution]").fill("已电话联系查勘员，今晚到场")
    stage.get_by_role("button", name="处理完毕").click()
    expect(page.locator(".alertcard", has_text="CL8")).to_have_count(0)
    page.goto(f"{base}/alerts/?status=resolved")
    expect(page.locator(".alertcard", has_text="CL8")).to_contain_text("已电话联系查勘员，今晚到场")


def test_the_inbox_and_playbooks_on_a_phone(alerts, page, live_server, artifacts):
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "handler")
    page.goto(f"{base}/alerts/")
    expect(page.locator(".alertcard")).to_have_count(3)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the inbox scrolls sideways on a phone ({width}px)"
    page.screenshot(path=str(artifacts / "alert_inbox_phone.png"), full_page=True)
    page.goto(f"{base}/playbooks/")
    expect(page.locator("#tp-auto_claim\\.salvage")).to_contain_text("换件清单上没有注明须交残的零件")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "playbooks_phone.png"), full_page=True)
