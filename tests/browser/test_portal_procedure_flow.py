"""The complainant's side of the complaint procedure in a real Chromium: with their private status link they see
each notice we send (the receipt, the pause for an appraisal, the extension, the decision and its letter), ask
for a review (核查) of the decision, and see it open with its own date; an undecided complaint they withdraw.

Staff work between their visits runs through the services in a worker thread (Playwright's sync API keeps an
event loop in this thread). Screenshots (laptop 1366×768, phone 390×844) go to test-artifacts/browser/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def file_on_portal(name: str, phone: str) -> tuple[int, str]:
    from amends.followup.services import PortalInput, portal_submit

    complaint, token = portal_submit(
        data=PortalInput(
            name=name,
            phone=phone,
            contact_preference="sms",
            description="车辆定损员两次爽约，维修一直无法开始。",
            request="尽快定损并赔付维修费。",
            language="zh-hans",
        ),
        client_address="203.0.113.7",
    )
    return complaint.pk, token


def handle(complaint_id: int, admin_id: int) -> None:
    """A handler pauses for an appraisal, resumes, extends and decides with a letter, as on the case page."""
    from amends.accounts.models import User
    from amends.intake import services

    admin = User.objects.get(pk=admin_id)
    services.complaint_pause(actor=admin, complaint_id=complaint_id, reason="送第三方机构做车损鉴定")
    services.complaint_resume(actor=admin, complaint_id=complaint_id)
    services.complaint_extend(actor=admin, complaint_id=complaint_id, level=1, reason="需调取维修厂记录")
    services.complaint_decide(
        actor=admin,
        complaint_id=complaint_id,
        decision="部分支持：赔付维修费。",
        result="partly_upheld",
        facts="定损员未按约定时间到场，延误两日。",
        reasons="依据保险合同第十二条及公司服务承诺。",
        offer="赔付维修费 800 元。",
    )


def test_the_complainant_sees_each_notice_and_asks_for_a_review(world, page, live_server, artifacts, in_thread, shoot):
    complaint_id, token = in_thread(lambda: file_on_portal("周敏", "13612345678"))
    in_thread(lambda: handle(complaint_id, world.admin.pk))
    status = f"{live_server.url}/complain/status/{token}/"
    page.goto(status)
    thread = page.locator(".pub-thread")
    expect(thread).to_contain_text("我们已收到您的投诉")  # the receipt
    expect(thread).to_contain_text("车损鉴定")  # the pause and its end
    expect(thread).to_contain_text("需调取维修厂记录")  # the extension with its reason
    expect(thread).to_contain_text("部分支持")  # the decision
    letter = page.locator(".pub-letter")
    expect(letter).to_contain_text("定损员未按约定时间到场")
    expect(letter).to_contain_text("申请核查")
    expect(page.locator("summary", has_text="撤回我的投诉")).to_have_count(0)  # decided: no withdrawal
    shoot("portal_status_decided")

    page.fill("#id_grounds", "维修费只赔了一半，另一半是定损员拖延造成的。")
    page.get_by_role("button", name="提交核查申请").click()
    expect(page.locator("#procedure [role=status]")).to_contain_text("我们已收到您的核查申请")
    expect(page.locator("#procedure")).to_contain_text("上级机构正在核查处理决定")
    expect(page.locator(".pub-thread")).to_contain_text("核查申请")  # the review's own notice
    shoot("portal_status_review")


def test_the_complainant_withdraws_an_undecided_complaint(world, page, live_server, artifacts, in_thread, shoot):
    _complaint_id, token = in_thread(lambda: file_on_portal("王芳", "13900001111"))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/complain/status/{token}/")
    page.locator("summary", has_text="撤回我的投诉").click()
    page.fill("#id_reason", "已与理赔员协商解决")
    page.get_by_role("button", name="确认撤回投诉").click()
    expect(page.locator(".pub-state").first).to_contain_text("撤回此投诉")
    expect(page.locator(".pub-thread")).to_contain_text("撤回")
    shoot("portal_status_withdrawn")
