"""Sending a message to a customer: email through Django's mail backends, a text message through the SMS
backend. The `Notice` row is written in the caller's transaction and the message leaves only after it
commits, so a rolled-back write never sends anything; a failure to send is kept on the row, not raised.

Private links are not stored in the row (it says "[link]"): whoever reads the database must not be able
to act as the customer.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from amends.core import clock
from amends.correspondence import sms
from amends.customers.models import Customer

from .models import ContactPreference, Notice, NoticeStatus

log = logging.getLogger(__name__)
LINK = "{link}"


def address_for(customer: Customer, channel: str) -> str:
    return customer.email if channel == ContactPreference.EMAIL else customer.phone


def notice_send(*, customer: Customer, channel: str, purpose: str, subject: str, body: str, link: str = "") -> Notice:
    """Queue a message (body may hold `{link}`) and send it after commit; returns its row."""
    address = address_for(customer, channel)
    notice = Notice.objects.create(
        customer=customer,
        channel=channel,
        purpose=purpose,
        address=address,
        subject=subject,
        body=body.replace(LINK, "[link]"),
        created_at=clock.now(),
    )
    text = body.replace(LINK, link)
    transaction.on_commit(lambda: _deliver(notice.pk, channel, address, subject, text), robust=True)
    return notice


def _deliver(notice_id: int, channel: str, address: str, subject: str, text: str) -> None:
    try:
        if channel == ContactPreference.EMAIL:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        else:
            sms.backend().send(address, text)
    except Exception as exc:  # any gateway error: the message is marked failed, the customer's write stands
        log.warning("notice %s to %s failed: %s", notice_id, channel, exc)
        Notice.objects.filter(pk=notice_id).update(status=NoticeStatus.FAILED, error=str(exc)[:2000])
        return
    Notice.objects.filter(pk=notice_id).update(status=NoticeStatus.SENT, sent_at=clock.now())
