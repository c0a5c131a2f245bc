"""A handler pauses the clock for an appraisal, resumes it, extends the deadline, decides and issues the
decision letter from the case page, in a real Chromium; the complainant reads the rules on the portal.
Screenshots (laptop 1366×768 and phone 390×844) go to test-artifacts/browser/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, receive
from amends.correspondence.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def complaint(world):
    return receive(world.frontline, world.individual)


def test_a_handler_pauses_extends_decides_and_issues_the_letter(
    world, complaint, page, live_server, artifacts, in_thread, shoot
):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "handler")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")

    page.goto(f"{base}/cases/{complaint.case_id}/")
    card = page.locator(f"#complaint-{complaint.pk}")
    card.locator("summary", has_text="因鉴定、检测、评估中止计时").click()
    card.locator("textarea[name=reason]").first.fill("送第三方机构做车损鉴定")
    card.get_by_role("button", name="中止计时").click()
    expect(card.locator(".status")).to_have_text("计时中止")
    shoot("complaint_paused")
    card.get_by_role("button", name="鉴定已完成：恢复计时").click()
    expect(card.locator(".status")).to_have_text("待决定")

    card.locator("summary", has_text="申请延期").click()
    extend = card.locator("form[action$='/extensions/']")
    extend.locator("textarea[name=reason]").fill("需调取维修厂记录并核实定损过程")
    extend.get_by_role("button", name="延期").click()
    expect(page.get_by_text("办结时限已延长。")).to_be_visible()  # the page came back with the new due date

    card = page.locator(f"#complaint-{complaint.pk}")
    card.locator("summary", has_text="登记告知客户的处理决定").click()
    decide = card.locator("form[action$='/decision/']")
    decide.locator("select[name=result]").select_option("partly_upheld")
    decide.locator("textarea[name=decision]").fill("部分支持：赔付维修费。")
    decide.locator("textarea[name=facts]").fill("定损员未按约定时间到场，延误两日。")
    decide.locator("textarea[name=reasons]").fill("依据保险合同第十二条及公司服务承诺。")
    shoot("complaint_decide_form")
    decide.get_by_role("button", name="登记决定").click()

    card = page.locator(f"#complaint-{complaint.pk}")
    card.get_by_role("link", name="处理决定告知书").click()
    letter = page.locator("#letter")
    expect(letter).to_contain_text("定损员未按约定时间到场")
    expect(letter).to_contain_text("申请核查")
    shoot("decision_letter")
    # Each step was a notice to the complainant, sent as a message from its template.
    messages = Message.objects.filter(complaint_id=complaint.pk).order_by("pk")
    sent = in_thread(lambda: list(messages.values_list("template_key", flat=True)))
    assert sent == [f"complaint.{k}" for k in ("receipt", "pause", "resume", "extension", "decision")]


def test_the_portal_publishes_the_routes_and_rules(world, page, live_server, artifacts, shoot):
    page.goto(f"{live_server.url}/complain/")
    expect(page.locator("a[href='/complain/rules/']")).to_have_count(1)  # in "what happens next"
    page.goto(f"{live_server.url}/complain/rules/")
    expect(page.locator("#routes")).to_contain_text("12378")
    expect(page.locator("#routes")).to_contain_text("60")
    shoot("portal_rules")
