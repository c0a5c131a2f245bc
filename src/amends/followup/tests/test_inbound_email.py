"""Inbound e-mail through the relay's webhook: a reply from the customer's address on file that names the case
(here: a real reply to a message the handler sent through a real SMTP server) joins the case; anything else
opens a complaint of its own for staff to link; the same mail twice is kept once."""

import base64
from email import policy
from email.message import EmailMessage

import pytest
from django.test import Client

from amends.assembly.testing import receive
from amends.correspondence.models import Attachment, Message
from amends.correspondence.services import message_send
from amends.intake.models import Complaint
from amends.recovery.models import Case, TimelineEntry

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def case(world, now):
    return Case.objects.select_related("customer").get(
        pk=receive(world.handler, world.individual, channel="staff").case_id
    )


def post(world, raw: bytes, user=None):
    token = world.token(user or world.admin)
    return Client().post(
        "/api/v1/inbound/email",
        {"raw": base64.b64encode(raw).decode()},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def mail(sender: str, subject: str, text: str, *, reply_to_id: str = "", attach: bool = False) -> bytes:
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = f"张伟 <{sender}>"
    m["To"] = "service@amends.invalid"
    m["Subject"] = subject
    m["Message-ID"] = f"<{abs(hash((sender, subject, text)))}@mail.example.cn>"
    if reply_to_id:
        m["In-Reply-To"] = reply_to_id
        m["References"] = reply_to_id
    m.set_content(text)
    if attach:
        m.add_attachment(PDF, maintype="application", subtype="pdf", filename="维修发票.pdf")
    return m.as_bytes()


def test_a_reply_from_the_address_on_file_joins_the_case_with_its_attachment(
    world,
    case,
    smtp,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = message_send(actor=world.handler, case=case, body="请把维修发票发给我们。", channel="email")
    (delivered,) = smtp.received
    reply = mail(
        world.individual.email,
        "Re: " + str(delivered["Subject"]),
        "发票在附件里。",
        reply_to_id=str(delivered["Message-ID"]),
        attach=True,
    )
    answer = post(world, reply)
    assert answer.status_code == 201, answer.content
    assert answer.json()["result"] == "threaded" and answer.json()["case"]["id"] == case.pk
    message = Message.objects.get(direction="in")
    assert (message.case_id, message.channel, message.body) == (case.pk, "email", "发票在附件里。")
    assert Attachment.objects.get().original_name == "维修发票.pdf"
    assert TimelineEntry.objects.filter(case=case, kind="message_in").exists()
    assert sent.external_id == str(delivered["Message-ID"])
    again = post(world, reply)
    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    assert Message.objects.filter(direction="in").count() == 1


def test_the_case_reference_in_the_subject_is_enough_from_the_address_on_file(world, case):
    answer = post(world, mail(world.individual.email, f"关于 {case.reference}", "补充一点情况。"))
    assert answer.json()["result"] == "threaded" and answer.json()["case"]["id"] == case.pk


def test_naming_a_case_from_another_address_opens_a_complaint_of_its_own(world, case):
    answer = post(world, mail("someone@else.cn", f"关于 {case.reference}", "我是他家人，也想投诉。"))
    assert answer.status_code == 201 and answer.json()["result"] == "opened"
    assert answer.json()["case"]["id"] != case.pk
    complaint = Complaint.objects.get(pk=answer.json()["complaint"])
    assert complaint.channel == "email" and complaint.customer.email == "someone@else.cn"
    assert case.reference in complaint.description  # noted for staff to link
    assert Message.objects.get(direction="in").case_id == complaint.case_id


def test_the_customers_address_naming_no_case_opens_a_complaint_of_its_own(world, case):
    answer = post(world, mail(world.individual.email, "还有一个问题", "续保保费为什么涨了？"))
    assert answer.json()["result"] == "opened" and answer.json()["case"]["id"] != case.pk


def test_only_the_relays_integration_token_may_post_and_bad_input_is_refused(world, case):
    assert post(world, mail(world.individual.email, "x", "y"), user=world.handler).status_code == 403
    bad = Client().post(
        "/api/v1/inbound/email",
        {"raw": "not base64!"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.token(world.admin)}",
    )
    assert bad.status_code == 422 and set(bad.json()) == {"error", "detail", "fields"}
    assert not Message.objects.exists()
