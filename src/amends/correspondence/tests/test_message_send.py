"""Writing to the customer from a case: the message is a row first, leaves after commit through the configured
backend (a real SMTP server here), is retried when the relay fails, and ends visibly failed after the last try;
every state is audited and the case's timeline shows it."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from amends.assembly.testing import receive
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.errors import InvalidInput
from amends.correspondence import services, sms
from amends.correspondence.models import Message, MessageTemplate
from amends.customers.models import Customer
from amends.recovery.models import Case, TimelineEntry


@pytest.fixture
def case(world, now):
    # A staff report is not the customer's own complaint: no receipt notice, so the messages are the test's.
    complaint = receive(world.handler, world.individual, channel="staff")
    return Case.objects.select_related("customer").get(pk=complaint.case_id)


def send(case, commit, **kwargs):
    kwargs.setdefault("actor", case.owner)
    with commit(execute=True):
        return services.message_send(case=case, **kwargs)


def test_an_email_from_a_template_reaches_the_smtp_server_after_commit(
    world, case, smtp, django_capture_on_commit_callbacks
):
    message = send(
        case, django_capture_on_commit_callbacks, template="update", values={"text": "定损员明早9点到现场。"}
    )
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1 and message.sent_at is not None
    (mail,) = smtp.received
    assert mail["To"] == world.individual.email
    assert mail["Message-ID"] == message.external_id
    assert case.reference in mail["Subject"]
    assert mail.get_content().strip() == f"张伟您好：关于您的案件{case.reference}，定损员明早9点到现场。"
    actions = list(
        AuditEntry.objects.filter(object_type="correspondence.message").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["message.send", "message.sent"]
    entry = TimelineEntry.objects.get(case=case, kind="message")
    assert entry.data["message"] == message.pk and "定损员明早9点到现场" in entry.text


def test_a_text_message_goes_to_the_phone_on_file_when_asked(world, case, django_capture_on_commit_callbacks):
    message = send(case, django_capture_on_commit_callbacks, body="您好，赔款已到账。", channel="sms")
    assert [(s.to, s.text) for s in sms.outbox] == [(world.individual.phone, "您好，赔款已到账。")]
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_nothing_leaves_when_the_write_rolls_back(world, case, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.message_send(actor=world.handler, case=case, body="不会发出", channel="sms")
        raise RuntimeError
    assert sms.outbox == [] and smtp.received == [] and not Message.objects.exists()


def test_the_customers_language_picks_the_template(world, case, smtp, django_capture_on_commit_callbacks):
    send(
        case,
        django_capture_on_commit_callbacks,
        template="promise",
        values={"text": "補發賠款", "due": "11月5日"},
        language="zh-hant",
    )
    assert "我們承諾：補發賠款，將於11月5日前完成" in smtp.received[0].get_content()


def test_an_edited_template_is_what_is_sent(world, case, django_capture_on_commit_callbacks):
    MessageTemplate.objects.filter(key="update", language="zh-hans").update(body="{customer}，{text}——某保险")
    send(case, django_capture_on_commit_callbacks, template="update", values={"text": "已处理"}, channel="sms")
    assert sms.outbox[0].text == "张伟，已处理——某保险"


def test_a_channel_without_an_address_on_file_is_refused(world, case):
    Customer.objects.filter(pk=world.individual.pk).update(email="")
    case.customer.refresh_from_db()
    with pytest.raises(InvalidInput) as refused:
        services.message_send(actor=world.handler, case=case, body="您好", channel="email")
    assert "channel" in refused.value.fields and not Message.objects.exists()


def test_with_no_contact_at_all_the_message_is_kept_as_failed_on_the_timeline(world, case):
    Customer.objects.filter(pk=world.individual.pk).update(email="", phone="")
    case.customer.refresh_from_db()
    message = services.message_send(actor=world.handler, case=case, body="您好")
    assert message.status == "failed" and message.last_error
    assert TimelineEntry.objects.filter(case=case, kind="message_failed").exists()


def test_an_unknown_template_is_refused(world, case):
    with pytest.raises(InvalidInput):
        services.message_send(actor=world.handler, case=case, template="no-such-key")


@override_settings(AMENDS_MESSAGE_MAX_ATTEMPTS=3, AMENDS_MESSAGE_RETRY_SECONDS=60)
def test_a_dead_relay_is_retried_with_growing_waits_then_the_failure_is_shown(
    world, case, no_smtp, django_capture_on_commit_callbacks
):
    message = send(case, django_capture_on_commit_callbacks, body="您好", channel="email")
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1) and message.last_error
    start = clock.now()
    assert message.next_attempt_at == start + timedelta(seconds=60)
    assert services.messages_retry(now=start) == 0  # not due yet
    with clock.frozen(start + timedelta(seconds=61)):
        assert services.messages_retry() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 2)
    assert message.next_attempt_at == start + timedelta(seconds=61 + 120)
    assert services.message_deliver(message_id=message.pk, now=start + timedelta(seconds=500)) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    failed = TimelineEntry.objects.get(case=case, kind="message_failed")
    assert "3" in failed.text
    actions = list(
        AuditEntry.objects.filter(object_type="correspondence.message").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["message.send", "message.retry", "message.retry", "message.failed"]


def test_a_retried_message_goes_out_once_the_relay_is_back(
    world, case, no_smtp, django_capture_on_commit_callbacks, smtp
):
    # no_smtp is overridden by smtp (requested later): the first try must succeed, so make it fail by hand first.
    with override_settings(EMAIL_PORT=no_smtp):
        message = send(case, django_capture_on_commit_callbacks, body="您好", channel="email")
    assert Message.objects.get(pk=message.pk).status == "queued"
    assert services.message_deliver(message_id=message.pk, now=clock.now() + timedelta(hours=1)) == "sent"
    assert len(smtp.received) == 1
    # A second enqueue of the same message (the sweep racing the commit hook) sends nothing more.
    assert services.message_deliver(message_id=message.pk, now=clock.now() + timedelta(hours=2)) == "skipped"
    assert len(smtp.received) == 1


DATABASE_QUEUE = {"default": {"BACKEND": "amends.core.task_queue.DatabaseQueue"}}


@override_settings(TASKS=DATABASE_QUEUE)
def test_on_the_database_queue_the_delivery_task_is_written_with_the_message(case):
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        message = services.message_send(case=case, actor=case.owner, body="您好，赔款已到账。", channel="sms")
        # In the writing transaction already: no second transaction after commit to enqueue it.
        task = DBTaskResult.objects.get(task_path="amends.correspondence.tasks.deliver_message")
    assert task.args_kwargs == {"args": [], "kwargs": {"message_id": message.pk}}
    assert task.status == "READY"


@override_settings(TASKS=DATABASE_QUEUE)
def test_on_the_database_queue_a_message_rolled_back_leaves_no_task(case):
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        services.message_send(case=case, actor=case.owner, body="您好，赔款已到账。", channel="sms")
        raise RuntimeError("the caller's write failed after the message")
    assert not Message.objects.filter(case=case, body="您好，赔款已到账。").exists()
    assert not DBTaskResult.objects.exists()
