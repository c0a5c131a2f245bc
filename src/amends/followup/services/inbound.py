"""Inbound e-mail (来信): a customer's mail, posted by the mail relay to `POST /api/v1/inbound/email`, either
joins the case it names — only when it comes from the customer's address on file (`correspondence.rules.
threads`) — as a message from the customer with its attachments, or opens a complaint of its own (channel
email, a new customer by that address) for staff to link, noting any case it named. The same mail posted twice
is kept once (its Message-ID).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from amends.core.errors import InvalidInput
from amends.correspondence import evidence, rules
from amends.correspondence.models import AttachmentSource, Channel, Message
from amends.correspondence.services import message_receive
from amends.customers.models import Segment
from amends.intake.models import Channel as ComplaintChannel
from amends.intake.models import Complaint
from amends.intake.services import ComplaintInput, NewCustomer, complaint_receive
from amends.recovery.models import Case

from .common import self_service_actor

MAX_TEXT = 20000


@dataclass(frozen=True)
class InboundEmail:
    sender: str
    name: str = ""
    subject: str = ""
    text: str = ""
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def parse(raw: bytes) -> InboundEmail:
    """The parts of an RFC 822 message this needs; InvalidInput for one without a sender."""
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    name, sender = parseaddr(str(mail.get("From", "")))
    if "@" not in sender:
        raise InvalidInput(_("The e-mail has no sender address."), fields={"raw": [_("No From address.")]})
    body = mail.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    ids = " ".join(str(mail.get(h, "")) for h in ("In-Reply-To", "References")).split()
    files = []
    for part in mail.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            files.append((part.get_filename() or "attachment", payload))
    return InboundEmail(
        sender=sender.strip(),
        name=name.strip(),
        subject=str(mail.get("Subject", "")).strip(),
        text=text.strip()[:MAX_TEXT],
        message_id=str(mail.get("Message-ID", "")).strip(),
        in_reply_to=[i.strip() for i in ids if i.strip()],
        attachments=files,
    )


def _named_cases(mail: InboundEmail) -> list[Case]:
    """The cases the mail names: a reply to one of our messages, then case and complaint references."""
    cases: list[int] = []
    if mail.in_reply_to:
        cases += Message.objects.filter(external_id__in=mail.in_reply_to).values_list("case_id", flat=True)
    for prefix, year, number in rules.references_in(f"{mail.subject}\n{mail.text}"):
        if prefix == "BJ":
            found = Case.objects.filter(pk=number, opened_at__year=year).values_list("pk", flat=True).first()
        else:
            found = Complaint.objects.filter(pk=number).values_list("case_id", flat=True).first()
        if found is not None:
            cases.append(found)
    ordered = list(dict.fromkeys(cases))
    by_id = Case.objects.select_related("customer").in_bulk(ordered)
    return [by_id[i] for i in ordered if i in by_id]


@transaction.atomic
def email_receive(*, mail: InboundEmail) -> tuple[str, Message]:
    """Keep an inbound mail: ('threaded', message) on the case it names, ('opened', message) on a new
    complaint's case, or ('duplicate', the message kept the first time)."""
    if mail.message_id:
        kept = Message.objects.filter(external_id=mail.message_id).first()
        if kept is not None:
            return "duplicate", kept
    actor = self_service_actor()
    named = _named_cases(mail)
    case = next(
        (c for c in named if rules.threads(sender=mail.sender, on_file=c.customer.email, names_case=True)), None
    )
    body = mail.text or mail.subject or _("(no text)")
    complaint_id = None
    outcome = "threaded"
    if case is None:
        outcome = "opened"
        note = ""
        if named:
            note = "\n\n" + _(
                "[This e-mail names %(refs)s, but it does not come from the address on file: link it if it is the "
                "same customer.]"
            ) % {"refs": ", ".join(c.reference for c in named)}
        key = "email:" + hashlib.sha256((mail.message_id or f"{mail.sender}\n{body}").encode()).hexdigest()
        complaint, _created = complaint_receive(
            actor=actor,
            data=ComplaintInput(
                channel=ComplaintChannel.EMAIL,
                description=(body + note)[:MAX_TEXT],
                request=mail.subject[:500] or _("To be confirmed with the customer."),
                new_customer=NewCustomer(
                    name=(mail.name or mail.sender.partition("@")[0])[:100],
                    email=mail.sender,
                    segment=Segment.INDIVIDUAL,
                ),
            ),
            idempotency_key=key,
        )
        case = Case.objects.select_related("customer").get(pk=complaint.case_id)
        complaint_id = complaint.pk
    message = message_receive(
        actor=actor,
        case=case,
        channel=Channel.EMAIL,
        body=body,
        address=mail.sender,
        subject=mail.subject,
        external_id=mail.message_id,
        complaint_id=complaint_id,
    )
    for name, content in mail.attachments:
        try:
            evidence.attachment_add(
                actor=actor,
                case=case,
                upload=ContentFile(content, name=name),
                source=AttachmentSource.EMAIL,
                message_id=message.pk,
                complaint_id=complaint_id,
            )
        except InvalidInput as exc:
            # The mail is kept whatever its attachments: a refused one is named on the message for staff.
            message.body += "\n" + _("[Attachment %(name)s not kept: %(why)s]") % {"name": name, "why": exc.detail}
            message.save(update_fields=["body"])
    return outcome, message
