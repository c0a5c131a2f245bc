"""Every write of correspondence: composing a message to the customer (`message_send`), delivering it after
commit (`message_deliver`, run by the task backend) and trying failed ones again (`messages_retry`).

A message is a row before it is anything else: it is written in the caller's transaction with its audit and
timeline entries, and leaves only after commit, so a rolled-back write never reaches the customer, and a
gateway that fails never undoes the write. Each try, failure and give-up is kept on the row and audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.core import audit, batch, clock
from amends.core.errors import InvalidInput
from amends.recovery.models import Case, TimelineKind
from amends.recovery.services import timeline_add

from . import rules, sms
from .contacts import Preference, preference_of
from .models import Channel, Direction, Language, Message, MessageStatus, MessageTemplate
from .notes import followers_notify
from .template_store import template_for

AUDIT_FIELDS = ["status", "attempts", "last_error", "channel", "address", "template_key"]
# How long one try may take before another worker may try the same message again.
LEASE = timedelta(minutes=10)
MAX_SUBJECT = 200


def language_for(requested: str | None) -> str:
    codes = {code for code, _label in Language.choices}
    for candidate in (requested, settings.LANGUAGE_CODE):
        if candidate and candidate.lower() in codes:
            return candidate.lower()
    return Language.ZH_HANS


def template_text(key: str, language: str) -> MessageTemplate:
    """The template in the language asked for, else the site's language, else any; InvalidInput if none."""
    found = template_for(key, (language, settings.LANGUAGE_CODE.lower(), Language.ZH_HANS))
    if found is not None:
        return found
    raise InvalidInput(_("There is no message template %(key)s.") % {"key": key}, fields={"template": [key]})


def standard_values(case: Case) -> dict[str, str]:
    return {"customer": case.customer.name, "case": case.reference}


def message_compose(
    *, case: Case, template: str, values: Mapping[str, str] | None = None, language: str | None = None
) -> tuple[str, str, str]:
    """The subject, text and language a template gives for this case (a draft staff may still edit)."""
    lang = language_for(language or preference_of(case.pk).language)
    found = template_text(template, lang)
    filled = {**standard_values(case), **{k: str(v) for k, v in (values or {}).items()}}
    return rules.fill(found.subject, filled), rules.fill(found.body, filled), found.language


def message_send(
    *,
    actor: User | None,
    case: Case,
    template: str = "",
    values: Mapping[str, str] | None = None,
    subject: str = "",
    body: str = "",
    channel: str | None = None,
    language: str | None = None,
    complaint_id: int | None = None,
    preference: Preference | None = None,
    complaint_case_id: int | None = None,
) -> Message:
    """Write a message to the case's customer and send it after commit; returns its row (status `queued`).

    The text is `body` (and `subject`) as given, or else the `template` filled with `values` plus the
    customer's name and the case reference. `channel` None means the customer's preferred contact on file;
    a channel asked for without an address on file is refused (InvalidInput), while with no contact at all
    the message is kept as `failed` so the case shows it could not be sent. Joins the caller's transaction.
    A caller that has the customer's `preference` or the complaint's case id at hand (a notice) passes them and
    saves their reads; inside `core.batch.collect` the message is written with the caller's other rows.
    """
    channel_given = channel is not None
    if channel_given and channel not in (Channel.SMS, Channel.EMAIL):
        raise InvalidInput(_("Choose text message or e-mail."), fields={"channel": [_("Unknown channel.")]})
    if complaint_id is not None and (
        case.pk != complaint_case_id
        if complaint_case_id is not None
        else not case.complaints.filter(pk=complaint_id).exists()
    ):
        raise InvalidInput(
            _("Not a complaint of this case."), fields={"complaint": [_("Not a complaint of this case.")]}
        )
    preference = preference or preference_of(case.pk)
    customer = case.customer
    lang = language_for(language or preference.language)
    if not body.strip():
        if not template:
            raise InvalidInput(_("Write the message or choose a template."), fields={"body": [_("Required.")]})
        subject, body, lang = message_compose(case=case, template=template, values=values, language=lang)
    if channel is None:
        channel = rules.choose_channel(preference.channel, email=customer.email, phone=customer.phone)
    address = "" if channel is None else (customer.email if channel == Channel.EMAIL else customer.phone)
    if channel_given and not address:
        refusal = (
            _("No e-mail address on file for this customer.")
            if channel == Channel.EMAIL
            else _("No mobile number on file for this customer.")
        )
        raise InvalidInput(refusal, fields={"channel": [refusal]})
    now = clock.now()
    if channel == Channel.EMAIL and case.reference not in subject:
        # The reference in the subject is how a reply names its case (see `inbound`).
        about = subject or _("About your case")
        subject = f"{about} [{case.reference}]"
    # Checked and composed above, written here: joins the caller's transaction without a savepoint of its own
    # (a SAVEPOINT would send a collecting caller's held writes apart, core.batch).
    with transaction.atomic(savepoint=False):
        message = Message(
            case=case,
            complaint_id=complaint_id,
            customer=customer,
            direction=Direction.OUT,
            channel=channel or Channel.SMS,
            address=address,
            subject=subject[:MAX_SUBJECT] if channel == Channel.EMAIL else "",
            body=body.strip(),
            template_key=template,
            language=lang,
            status=MessageStatus.QUEUED if address else MessageStatus.FAILED,
            last_error="" if address else _("No phone number or e-mail address on file."),
            next_attempt_at=now if address else None,
            actor=actor if actor is not None and actor.pk else None,
            external_id=_message_id() if channel == Channel.EMAIL else "",
            created_at=now,
        )
        batch.create(message)  # with the caller's writes where it collects them and reserved the message's id
        audit.record(
            audit.entry(actor=actor, action="message.send", obj=message, after=audit.snapshot(message, AUDIT_FIELDS))
        )
        timeline_add(
            case,
            TimelineKind.MESSAGE if address else TimelineKind.MESSAGE_FAILED,
            actor=message.actor,
            text=message.body if address else message.last_error,
            data={"message": message.pk, "channel": message.channel, "direction": Direction.OUT},
            at=now,
        )
        if address:
            message_id = message.pk
            if _queue_in_this_database():
                # The task's row commits or rolls back with the message: no second transaction after commit.
                _enqueue(message_id)
            else:
                transaction.on_commit(lambda: _enqueue(message_id), robust=True)
        return message


def _queue_in_this_database() -> bool:
    """Whether the task queue is a table in the application's database (django-tasks-db, the default): then a
    task enqueued inside the writing transaction is written by it, as the message is."""
    from django_tasks_db import DatabaseBackend

    from .tasks import deliver_message

    return isinstance(deliver_message.get_backend(), DatabaseBackend)


def _message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "amends.invalid"
    return make_msgid(domain=domain)


def _enqueue(message_id: int) -> None:
    from .tasks import deliver_message

    deliver_message.enqueue(message_id=message_id)


def message_deliver(*, message_id: int, now: datetime | None = None) -> str:
    """One try at sending a queued message: 'sent', 'retry' (failed, tried again later), 'failed' (gave up) or
    'skipped' (not queued, not due, or another worker holds it)."""
    now = now or clock.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .select_related("case")
            .filter(pk=message_id, status=MessageStatus.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return "skipped"
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        message.save(update_fields=["attempts", "next_attempt_at"])
    try:
        _hand_over(message)
    except Exception as exc:  # any gateway or SMTP error: kept on the row, tried again later
        return _failed(message.pk, str(exc) or type(exc).__name__, now)
    with transaction.atomic():
        before = audit.snapshot(message, AUDIT_FIELDS)
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT, sent_at=clock.now(), next_attempt_at=None, last_error=""
        )
        audit.record(
            audit.entry(
                actor=None,
                action="message.sent",
                obj=message,
                before=before,
                after={**before, "status": MessageStatus.SENT, "last_error": ""},
            )
        )
    return "sent"


def _hand_over(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        email = EmailMessage(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.address],
            headers={"Message-ID": message.external_id},
            reply_to=[settings.AMENDS_REPLY_TO] if settings.AMENDS_REPLY_TO else None,
        )
        email.send(fail_silently=False)
    else:
        sms.backend().send(message.address, message.body)


def _failed(message_id: int, error: str, now: datetime) -> str:
    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("case").get(pk=message_id)
        before = audit.snapshot(message, AUDIT_FIELDS)
        message.last_error = error[:2000]
        gave_up = rules.gives_up(message.attempts, max_attempts=settings.AMENDS_MESSAGE_MAX_ATTEMPTS)
        if gave_up:
            message.status = MessageStatus.FAILED
            message.next_attempt_at = None
        else:
            message.next_attempt_at = now + rules.retry_delay(
                message.attempts, base_seconds=settings.AMENDS_MESSAGE_RETRY_SECONDS
            )
        message.save(update_fields=["status", "last_error", "next_attempt_at"])
        action = "message.failed" if gave_up else "message.retry"
        audit.record(
            audit.entry(
                actor=None, action=action, obj=message, before=before, after=audit.snapshot(message, AUDIT_FIELDS)
            )
        )
        if gave_up:
            with translation.override(settings.LANGUAGE_CODE):
                text = _("Could not be sent after %(n)s attempts: %(error)s") % {
                    "n": message.attempts,
                    "error": message.last_error,
                }
            timeline_add(
                message.case,
                TimelineKind.MESSAGE_FAILED,
                actor=None,
                text=text,
                data={"message": message.pk, "channel": message.channel, "direction": Direction.OUT},
            )
    return "failed" if gave_up else "retry"


def messages_retry(*, now: datetime | None = None, limit: int = 500) -> int:
    """Enqueue a try for every queued message that is due (a failed try's wait is over, or the task enqueued at
    commit never ran); returns how many. A duplicate enqueue is harmless: the first try takes the lease."""
    now = now or clock.now()
    due = list(
        Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in due:
        _enqueue(message_id)
    return len(due)


@transaction.atomic
def message_delivered(*, message_id: int, at: datetime | None = None) -> Message:
    """A gateway's receipt: the customer's phone or mailbox has the message."""
    message = Message.objects.select_for_update().get(pk=message_id, direction=Direction.OUT)
    if message.status in (MessageStatus.SENT, MessageStatus.QUEUED):
        before = audit.snapshot(message, AUDIT_FIELDS)
        message.status = MessageStatus.DELIVERED
        message.delivered_at = at or clock.now()
        message.save(update_fields=["status", "delivered_at"])
        audit.record(
            audit.entry(
                actor=None,
                action="message.delivered",
                obj=message,
                before=before,
                after=audit.snapshot(message, AUDIT_FIELDS),
            )
        )
    return message


@transaction.atomic
def message_receive(
    *,
    actor: User | None,
    case: Case,
    channel: str,
    body: str,
    address: str = "",
    subject: str = "",
    external_id: str = "",
    complaint_id: int | None = None,
) -> Message:
    """Record what the customer sent (on the portal, by e-mail) on the case, with audit and timeline entries.
    The caller has decided it is the customer's and belongs to this case."""
    now = clock.now()
    message = Message.objects.create(
        case=case,
        complaint_id=complaint_id,
        customer=case.customer,
        direction=Direction.IN,
        channel=channel,
        address=address[:254],
        subject=subject[:MAX_SUBJECT],
        body=body.strip(),
        status=MessageStatus.RECEIVED,
        actor=actor if actor is not None and actor.pk else None,
        external_id=external_id[:250],
        created_at=now,
    )
    audit.record(
        audit.entry(actor=actor, action="message.receive", obj=message, after=audit.snapshot(message, AUDIT_FIELDS))
    )
    timeline_add(
        case,
        TimelineKind.MESSAGE_IN,
        actor=None,
        text=message.body,
        data={"message": message.pk, "channel": channel, "direction": Direction.IN},
        at=now,
    )
    followers_notify(case, message)
    return message
