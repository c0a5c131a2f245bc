"""应变权 in a real Chromium: the front-line agent waives the seed's ¥300 salvage deduction for an online
customer on the spot; a ¥3,000 request goes to the supervisor, who approves it from the approvals page; the
quality manager reads the equal-treatment report. Screenshots at laptop and phone width go to
test-artifacts/browser/.

Runs against pytest-django's live server with the real clock (a transactional database, shared with it).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world
from amends.discretion.models import Approval, DiscretionRequest, LedgerEntry
from amends.discretion.tests.helpers import online_case, set_policies
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def people(transactional_db):
    # Built before the browser starts (Playwright's sync API runs an event loop in this thread).
    catalogue.load(Journey, Touchpoint)
    world = make_world()
    set_policies(world)
    return world, online_case(world)


def off_the_loop(read):
    """Run a database read in a thread of its own: Django refuses them in the thread running Playwright's loop."""
    out = []

    def run():
        try:
            out.append(read())
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    return out[0]


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def ask(page, *, kind, amount, reason, at_fault="no", extra_cost="yes"):
    panel = page.locator("#discretion")
    if panel.locator("details.dreq__new").get_attribute("open") is None:
        panel.get_by_text("补偿或对规则作例外处理…").click()
    panel.locator("#id_discretion_kind").select_option(kind)
    panel.locator("#id_discretion_amount").fill(amount)
    panel.locator("#id_discretion_reason").fill(reason)
    panel.locator(f"input[name=customer_at_fault][value={at_fault}]").check()
    panel.locator(f"input[name=extra_cost][value={extra_cost}]").check()
    panel.locator("input[name=breaches_regulation][value=no]").check()
    panel.get_by_role("button", name="提交").click()


def test_frontline_waives_300_on_the_spot_and_the_supervisor_approves_3000(people, page, live_server, artifacts):
    _world, case = people
    base = live_server.url

    # The front-line agent at the counter: the online customer followed the stamped parts list, so the ¥300
    # deduction is waived there and then, within the agent's ¥500 authority.
    sign_in(page, base, "frontline")
    page.set_viewport_size(LAPTOP)
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="应变处理：补偿与规则例外")).to_be_visible()
    page.screenshot(path=str(artifacts / "discretion_case_form.png"), full_page=True)
    ask(
        page,
        kind="waiver",
        amount="300",
        reason="换件清单未注明须交残，客户按清单交残并无过错，当场减免300元残值扣款。",
    )
    expect(page.locator(".message--success")).to_contain_text("当场批准：费用或扣款减免 ¥300.00")
    first = page.locator(".dreq").first
    expect(first.locator(".dstatus--granted")).to_have_text("当场批准")
    expect(page.locator(".timeline")).to_contain_text("当场减免300元残值扣款")
    page.screenshot(path=str(artifacts / "discretion_granted.png"), full_page=True)

    # ¥3,000 for the car hire is above the agent's limit: it goes to the supervisor, with a deadline.
    ask(page, kind="cash", amount="3000", reason="维修期间客户自费租车，按票据补偿代步车费用。")
    expect(page.locator(".message--info")).to_contain_text("已提交 主管赵敏 审批")
    expect(page.locator(".dreq").nth(1).locator(".dstatus--pending_approval")).to_have_text("待审批")
    expect(page.locator(".dreq").nth(1)).to_contain_text("等待 主管赵敏 审批")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "discretion_case_phone.png"), full_page=True)
    page.locator("#discretion").screenshot(path=str(artifacts / "discretion_panel_phone.png"))
    page.set_viewport_size(LAPTOP)
    sign_out(page)

    # The supervisor finds it on the approvals page, with the case, and approves it with a note.
    sign_in(page, base, "supervisor")
    page.get_by_role("link", name="审批").click()
    card = page.locator(".approval").first
    expect(card).to_contain_text(case.reference)
    expect(card).to_contain_text("李娜")
    expect(card).to_contain_text("¥3,000.00")
    page.screenshot(path=str(artifacts / "discretion_approvals.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "discretion_approvals_phone.png"), full_page=True)
    page.locator(".approval").first.screenshot(path=str(artifacts / "discretion_approval_card_phone.png"))
    page.set_viewport_size(LAPTOP)
    card.locator("textarea[name=note]").fill("同意，按票据金额补偿。")
    card.get_by_role("button", name="批准").click()
    expect(page.locator(".message--success")).to_contain_text("已批准：李娜 的现金补偿 ¥3,000.00")
    expect(page.locator(".approval")).to_have_count(0)
    expect(page.get_by_text("没有等待您处理的审批。")).to_be_visible()

    # The case shows the outcome at once.
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.locator(".dreq").nth(1).locator(".dstatus--approved")).to_have_text("已批准")
    expect(page.locator(".dreq").nth(1)).to_contain_text("同意，按票据金额补偿。")
    sign_out(page)

    def rows():
        return (
            sorted(DiscretionRequest.objects.values_list("status", flat=True)),
            list(Approval.objects.values_list("status", flat=True)),
            list(LedgerEntry.objects.order_by("id").values_list("outcome", flat=True)),
        )

    assert off_the_loop(rows) == (["approved", "granted"], ["approved"], ["granted", "referred", "approved"])

    # The quality manager sees the online segment's use of discretion on the equal-treatment report.
    sign_in(page, base, "quality")
    page.get_by_role("link", name="公平对待").click()
    expect(page.get_by_role("heading", name="公平对待")).to_be_visible()
    expect(page.locator(".table--report").first).to_contain_text("网销客户")
    expect(page.locator("#equal-chart svg")).to_be_visible()
    page.screenshot(path=str(artifacts / "discretion_report.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "discretion_report_phone.png"), full_page=True)
    page.locator(".table--report").first.screenshot(path=str(artifacts / "discretion_report_table_phone.png"))
