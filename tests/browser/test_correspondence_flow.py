"""A handler writes to the customer from the case page and attaches a photo, and a complainant adds a photo on
their status page, in a real Chromium (laptop 1366×768 and phone 390×844). Screenshots of the changed pages go to
test-artifacts/browser/.

The live server runs in another thread, so the database is shared (transactional) and the journey catalogue
and message templates, flushed with it, are loaded again first.
"""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from PIL import Image
from playwright.sync_api import expect

from amends.assembly.testing import PASSWORD, make_world, receive
from amends.correspondence import seed, sms
from amends.correspondence.models import Attachment, Message, MessageTemplate
from amends.followup.services import PortalInput, portal_submit
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db, tmp_path):
    catalogue.load(Journey, Touchpoint)
    seed.load(MessageTemplate)
    sms.outbox.clear()
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield make_world()


@pytest.fixture
def case(world):
    return receive(world.handler, world.individual, channel="staff").case  # no receipt notice: one message


@pytest.fixture
def portal(world):
    return portal_submit(
        data=PortalInput(
            name="周敏",
            phone="13612345678",
            email="",
            contact_preference="sms",
            policy_no="",
            claim_no="",
            description="理赔款说好三天到账，已经过了一周还没有收到。",
            request="尽快支付赔款。",
            language="zh-hans",
        ),
        client_address="203.0.113.9",
        idempotency_key="browser-portal-add",
    )


def jpeg(path) -> str:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "#9a6200").save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_a_handler_sends_an_sms_from_the_case_and_attaches_a_photo(
    world, case, page, live_server, artifacts, tmp_path, in_thread, shoot
):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "handler")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    expect(page).to_have_url(f"{base}/")

    page.goto(f"{base}/cases/{case.pk}/")
    panel = page.locator("#messages")
    expect(panel.get_by_role("heading", name="与客户的往来消息")).to_be_visible()
    panel.locator("summary", has_text="给客户发消息").click()
    # The template's draft is in the text box, in the customer's words; the handler finishes the sentence.
    body = panel.locator("textarea[name=body]")
    expect(body).to_have_value(f"张伟您好：关于您的案件{case.reference}，")
    body.fill(f"张伟您好：关于您的案件{case.reference}，定损员明早9点到现场，请保留残件。")
    panel.locator("select[name=channel]").select_option("sms")
    shoot("case_compose", "#messages")
    panel.get_by_role("button", name="发送").click()

    expect(page.locator("#messages .msg")).to_have_count(1)
    expect(page.locator("#messages .mstatus--sent")).to_have_text("已发送")
    expect(page.locator("#messages .msg__body")).to_contain_text("定损员明早9点到现场")
    assert [s.to for s in sms.outbox] == [world.individual.phone]
    assert "请保留残件" in sms.outbox[0].text

    # Evidence: a photo of the damage, shown as a thumbnail.
    evidence = page.locator("#evidence")
    evidence.locator("summary", has_text="添加文件").click()
    evidence.locator("input[type=file]").set_input_files(jpeg(tmp_path / "尾灯照片.jpg"))
    evidence.get_by_role("button", name="添加").click()
    expect(page.locator("#evidence .file__name")).to_have_text("尾灯照片.jpg")
    thumb = page.locator("#evidence .file__thumb img")
    expect(thumb).to_be_visible()
    # Visible is not loaded: wait until the browser has decoded the thumbnail (a broken one never gets a width).
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    shoot("case_messages_evidence", "#messages")
    assert in_thread(lambda: (Message.objects.get().status, bool(Attachment.objects.get().thumbnail))) == ("sent", True)


def test_a_complainant_adds_a_photo_on_the_status_page(
    world, portal, page, live_server, artifacts, tmp_path, in_thread
):
    complaint, token = portal
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/complain/status/{token}/")
    add = page.locator("#add")
    expect(add.get_by_role("heading", name="留言与材料")).to_be_visible()
    add.locator("textarea[name=text]").fill("补充：银行回单显示没有到账，附截图。")
    add.locator("input[type=file]").set_input_files(jpeg(tmp_path / "回单截图.jpg"))
    add.get_by_role("button", name="发送给处理人员").click()

    expect(page.locator("#add [role=status]")).to_contain_text("我们已收到")
    expect(page.locator("#add .pub-msg--mine")).to_contain_text("银行回单显示没有到账")
    expect(page.locator("#add .pub-files")).to_contain_text("回单截图.jpg")
    page.screenshot(path=str(artifacts / "portal_status_add_phone.png"), full_page=True)
    page.set_viewport_size(LAPTOP)
    page.screenshot(path=str(artifacts / "portal_status_add_laptop.png"), full_page=True)
    found = in_thread(lambda: Attachment.objects.values_list("source", "complaint_id", "original_name").get())
    assert found == ("portal", complaint.pk, "回单截图.jpg")


@pytest.fixture
def mentioned(world, case):
    from amends.correspondence import notes

    notes.note_add(actor=world.handler, case=case, body="客户情绪激动，@supervisor 请关注是否需要升级处理。")
    return case


def test_a_supervisor_sees_the_mention_in_the_top_bar_and_answers_with_a_note(
    world, mentioned, page, live_server, artifacts, shoot
):
    case = mentioned
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit].btn--primary").click()
    badge = page.locator(".topbar .waitbadge")
    expect(badge).to_contain_text("待我处理")
    expect(badge.locator(".count")).to_have_text("1")
    page.screenshot(path=str(artifacts / "topbar_waiting_laptop.png"))
    badge.click()
    expect(page.get_by_role("heading", name="待我处理")).to_be_visible()
    shoot("waiting_page", "#notifications")
    page.locator("#notifications a", has_text=case.reference).click()
    expect(page).to_have_url(f"{base}/cases/{case.pk}/#notes")
    notes_panel = page.locator("#notes")
    expect(notes_panel.locator(".mention")).to_have_text("@supervisor")
    notes_panel.locator("textarea[name=body]").fill("@handler 先致歉并约明早回电，我来跟进审批。")
    notes_panel.get_by_role("button", name="添加备注").click()
    expect(page.locator("#notes .note")).to_have_count(2)
    expect(page.locator(".messages")).to_contain_text("已通知")
    shoot("case_notes", "#notes")
    expect(page.locator(".topbar .waitbadge .count")).to_have_text("0")
