"""Writing to the customer from the case page and the API: drafts from the case's own words, the message on
the page with its delivery status, refusals on the form, scope."""

import pytest
from django.test import Client

from amends.assembly.testing import PASSWORD, decide, receive
from amends.correspondence import sms
from amends.correspondence.models import Message
from amends.recovery.models import TimelineEntry


@pytest.fixture
def complaint(world, now):
    # A staff report is not the customer's own complaint: no receipt notice, so the messages are the test's.
    return receive(world.handler, world.individual, channel="staff")


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_case_page_offers_the_decision_as_a_draft_and_sends_it_by_sms(
    world, complaint, django_capture_on_commit_callbacks
):
    decide(world.handler, complaint, "全额赔付300元残值。")
    client = login(world.handler)
    page = client.get(f"/cases/{complaint.case_id}/").content.decode()
    assert 'id="messages"' in page and "全额赔付300元残值。" in page  # the decision draft
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/cases/{complaint.case_id}/messages/",
            {
                "template": "decision",
                "channel": "sms",
                "subject": "",
                "body": "张伟您好：我们全额赔付300元残值。",
                "complaint": complaint.pk,
            },
        )
    assert answer.status_code == 302 and answer["Location"].endswith("#messages")
    assert sms.outbox[-1].text == "张伟您好：我们全额赔付300元残值。"
    message = Message.objects.get()
    assert (message.status, message.template_key, message.actor) == ("sent", "decision", world.handler)
    assert message.complaint_id == complaint.pk
    assert f'data-complaint="{complaint.pk}"' in page
    page = client.get(f"/cases/{complaint.case_id}/").content.decode()
    assert "mstatus--sent" in page and "张伟您好：我们全额赔付300元残值。" in page


def test_fill_from_the_template_without_javascript_puts_the_draft_in_the_form(world, complaint):
    page = login(world.handler).post(f"/cases/{complaint.case_id}/messages/", {"template": "update", "draft": "1"})
    assert page.status_code == 200 and not Message.objects.exists()
    assert f"张伟您好：关于您的案件{complaint.case.reference}，" in page.content.decode()


def test_an_empty_message_is_refused_on_the_form(world, complaint):
    page = login(world.handler).post(f"/cases/{complaint.case_id}/messages/", {"template": "", "body": " "})
    assert page.status_code == 422 and "field__error" in page.content.decode()
    assert not Message.objects.exists()


def test_the_api_lists_and_sends_within_scope(world, complaint, django_capture_on_commit_callbacks):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token(world.handler)}"}
    url = f"/api/v1/cases/{complaint.case_id}/messages"
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            url,
            {"template": "update", "values": {"text": "定损员明早9点到。"}, "channel": "sms"},
            content_type="application/json",
            **headers,
        )
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "queued" and answer.json()["channel"] == "sms"
    listed = client.get(url, **headers).json()["messages"]
    assert [m["status"] for m in listed] == ["sent"]
    assert listed[0]["body"] == f"张伟您好：关于您的案件{complaint.case.reference}，定损员明早9点到。"
    detail = client.get(f"/api/v1/cases/{complaint.case_id}", **headers).json()
    assert detail["messages"][0]["id"] == listed[0]["id"]
    assert TimelineEntry.objects.filter(case_id=complaint.case_id, kind="message").count() == 1
    # Bad input is the error shape; another province's handler does not see the case.
    bad = client.post(url, {"channel": "fax"}, content_type="application/json", **headers)
    assert bad.status_code == 422 and set(bad.json()) == {"error", "detail", "fields"}
    empty = client.post(url, {}, content_type="application/json", **headers)
    assert empty.status_code == 422 and empty.json()["fields"]
    stranger = receive(world.beijing_handler, world.beijing_customer)
    wrong = client.post(url, {"body": "x", "complaint": stranger.pk}, content_type="application/json", **headers)
    assert wrong.status_code == 422 and "complaint" in wrong.json()["fields"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {world.token(world.beijing_handler)}"}
    assert client.get(url, **other).status_code == 404
    assert client.post(url, {"body": "x"}, content_type="application/json", **other).status_code == 404


def test_templates_are_edited_in_the_admin_with_an_audit_row_and_messages_are_read_only(world):
    from amends.audit.models import AuditEntry
    from amends.correspondence.models import MessageTemplate

    admin = login(world.admin)
    template = MessageTemplate.objects.get(key="update", language="zh-hant")
    url = f"/admin/correspondence/messagetemplate/{template.pk}/change/"
    assert admin.get(url).status_code == 200
    answer = admin.post(
        url,
        {
            "key": "update",
            "language": "zh-hant",
            "name": "案件進展",
            "subject": "您的案件 {case}",
            "body": "{customer}您好：{text}",
        },
    )
    assert answer.status_code == 302
    assert MessageTemplate.objects.get(pk=template.pk).subject == "您的案件 {case}"
    assert AuditEntry.objects.filter(action="admin.change", object_type="correspondence.messagetemplate").exists()
    for model in ("message", "attachment", "messagetemplate"):
        assert admin.get(f"/admin/correspondence/{model}/").status_code == 200
    assert admin.get("/admin/correspondence/message/add/").status_code == 403
