"""The notices the complaint measure requires leave as messages to the customer's contact: from the seeded
templates `complaint.<kind>` in the customer's language, after commit, kept on the complaint as well."""

from collections.abc import Iterator

import pytest

from amends.assembly.testing import receive
from amends.correspondence import contacts, sms
from amends.correspondence.contacts import Preference
from amends.correspondence.models import Message, MessageTemplate
from amends.intake import services as intake
from amends.intake.models import ComplaintNotice

DECISION = {
    "decision": "部分支持：赔付维修费，不支持精神损失。",
    "result": "partly_upheld",
    "facts": "定损员未按约定时间到场。",
    "reasons": "依据保险合同第十二条。",
}


@pytest.fixture
def english(world) -> Iterator[None]:
    """The customer asked for English (as a portal filing would record)."""

    def reader(case_id: int) -> Preference | None:
        return Preference(channel="sms", language="en")

    contacts._readers.insert(0, (reader, None))
    yield
    contacts._readers.remove((reader, None))


def test_each_notice_is_a_message_to_the_customers_contact(world, now, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = receive(world.frontline, world.individual)
    with django_capture_on_commit_callbacks(execute=True):
        intake.complaint_pause(actor=world.handler, complaint_id=complaint.pk, reason="送第三方机构做车损鉴定")
    messages = list(Message.objects.filter(complaint_id=complaint.pk).order_by("pk"))
    assert [m.template_key for m in messages] == ["complaint.receipt", "complaint.pause"]
    assert all(m.status == "sent" and m.address == world.individual.email for m in messages)
    assert [mail["To"] for mail in smtp.received] == [world.individual.email] * 2
    body = smtp.received[1].get_content()
    assert complaint.reference in body and "送第三方机构做车损鉴定" in body and "不计入处理期限" in body
    assert ComplaintNotice.objects.filter(complaint=complaint).count() == 2


def test_an_english_reader_gets_the_english_template_with_the_result_in_english(
    world, now, english, django_capture_on_commit_callbacks
):
    complaint = receive(world.frontline, world.individual)
    with django_capture_on_commit_callbacks(execute=True):
        intake.complaint_decide(actor=world.handler, complaint_id=complaint.pk, **DECISION)
    decision = Message.objects.get(complaint_id=complaint.pk, template_key="complaint.decision")
    assert decision.language == "en" and decision.channel == "sms"
    assert "Partly upheld" in decision.body
    assert "ask for a review until" in decision.body
    assert sms.outbox[-1].text == decision.body
    # The record on the complaint is in the site's language.
    assert "部分支持" in ComplaintNotice.objects.get(complaint=complaint, kind="decision").text


def test_without_the_template_the_notices_own_text_is_sent(world, now, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(key="complaint.withdrawal").delete()
    complaint = receive(world.frontline, world.individual)
    with django_capture_on_commit_callbacks(execute=True):
        intake.complaint_withdraw(actor=world.handler, complaint_id=complaint.pk, reason="已协商解决")
    message = Message.objects.get(complaint_id=complaint.pk, template_key="")
    assert message.body == ComplaintNotice.objects.get(complaint=complaint, kind="withdrawal").text
