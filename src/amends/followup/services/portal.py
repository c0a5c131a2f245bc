"""Filing a complaint on the public portal (投诉门户): no login, rate limited, acknowledged at once.

The complaint goes through intake's `complaint_receive` (channel `portal`) like every other channel, as the
self-service account; this module adds only what the portal owns: the contact checks, the rate limits, the
private status link and the acknowledgement. Limits are counted in the database (the submissions table,
two indexes), not a cache: they hold across web processes and restarts without any extra server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.core import audit, clock
from amends.core.errors import InvalidInput
from amends.customers.models import Segment
from amends.intake.models import Channel, Complaint
from amends.intake.services import ComplaintInput, NewCustomer, complaint_receive

from .. import links
from ..models import ContactPreference, PortalSubmission
from ..notify import LINK, notice_send
from ..thanks import thanks_grant
from .common import RateLimited, self_service_actor

PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")


@dataclass
class PortalInput:
    name: str
    description: str
    request: str
    contact_preference: str
    phone: str = ""
    email: str = ""
    policy_no: str = ""
    claim_no: str = ""
    language: str = ""


def _check_contact(data: PortalInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    phone, email = data.phone.strip(), data.email.strip()
    if data.contact_preference not in ContactPreference.values:
        errors["contact_preference"] = [_("Choose how we should contact you.")]
    if phone and not PHONE.match(phone):
        errors["phone"] = [_("Enter a phone number of digits, e.g. 13800138000.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    if data.contact_preference == ContactPreference.EMAIL and not email:
        errors.setdefault("email", [_("Give the email address we should write to.")])
    if data.contact_preference in (ContactPreference.PHONE, ContactPreference.SMS) and not phone:
        errors.setdefault("phone", [_("Give the phone number we should use.")])
    return errors


def _check_limits(client_key: str, contact_key: str, now) -> None:
    (per_address, address_window), (per_contact, contact_window) = (
        settings.AMENDS_PORTAL_LIMITS["address"],
        settings.AMENDS_PORTAL_LIMITS["contact"],
    )
    recent = PortalSubmission.objects.filter
    if recent(client_key=client_key, created_at__gte=now - timedelta(seconds=address_window)).count() >= per_address:
        raise RateLimited(
            _("Many complaints were sent from this connection just now. Please try again later, or call us."),
            fields={"client": [_("Too many submissions from this connection.")]},
        )
    if recent(contact_key=contact_key, created_at__gte=now - timedelta(seconds=contact_window)).count() >= per_contact:
        raise RateLimited(
            _(
                "We already have several complaints with these contact details today; we will be in touch. "
                "To add something, call us."
            ),
            fields={"contact": [_("Too many submissions with these contact details.")]},
        )


def portal_submit(*, data: PortalInput, client_address: str, idempotency_key: str = "") -> tuple[Complaint, str]:
    """File the complaint and return it with its private status token (shown once, stored as a digest).

    A resubmitted form (same idempotency key) returns the same complaint with a fresh link; the earlier
    link stops working, since only this answer will be seen.
    """
    errors = _check_contact(data)
    if not data.name.strip():
        errors["name"] = [_("This field is required.")]
    if not data.description.strip():
        errors["description"] = [_("This field is required.")]
    if not data.request.strip():
        errors["request"] = [_("This field is required.")]
    if errors:
        raise InvalidInput(_("Your complaint was not sent yet: please correct the marked fields."), fields=errors)
    now = clock.now()
    client_key = links.keyed(client_address or "unknown")
    contact_key = links.keyed(data.phone.strip() or data.email.strip())
    key = f"portal:{idempotency_key.strip()}" if idempotency_key.strip() else None
    if key is None or not Complaint.objects.filter(idempotency_key=key).exists():
        _check_limits(client_key, contact_key, now)
    actor = self_service_actor()
    token, digest = links.new_token()
    with transaction.atomic():
        complaint, created = complaint_receive(
            actor=actor,
            data=ComplaintInput(
                channel=Channel.PORTAL,
                description=data.description,
                request=data.request,
                new_customer=NewCustomer(
                    name=data.name, phone=data.phone.strip(), email=data.email.strip(), segment=Segment.INDIVIDUAL
                ),
                policy_no=data.policy_no,
                claim_no=data.claim_no,
            ),
            idempotency_key=key,
        )
        if created:
            submission = PortalSubmission.objects.create(
                complaint=complaint,
                token_digest=digest,
                contact_preference=data.contact_preference,
                language=data.language[:8],
                client_key=client_key,
                contact_key=contact_key,
                created_at=now,
                expires_at=now + timedelta(days=settings.AMENDS_PORTAL_LINK_DAYS),
            )
            audit.record(
                audit.entry(
                    actor=actor,
                    action="portal.submit",
                    obj=submission,
                    after={"complaint": complaint.pk, "contact_preference": submission.contact_preference},
                )
            )
            thanks_grant(complaint)
            _acknowledge(complaint, submission, token)
        else:
            PortalSubmission.objects.filter(complaint=complaint).update(token_digest=digest)
    return complaint, token


def _acknowledge(complaint: Complaint, submission: PortalSubmission, token: str) -> None:
    customer = complaint.customer
    channel = ContactPreference.EMAIL if submission.contact_preference == ContactPreference.EMAIL else "sms"
    if not (customer.email if channel == ContactPreference.EMAIL else customer.phone):
        return
    due = timezone.localtime(complaint.due_at)
    body = _(
        "We have received your complaint %(ref)s and thank you for telling us. We will decide and tell you by "
        "%(due)s. Follow it here: %(link)s"
    ) % {"ref": complaint.reference, "due": f"{due:%Y-%m-%d}", "link": LINK}
    notice_send(
        customer=customer,
        channel=channel,
        purpose="acknowledgement",
        subject=_("Your complaint %(ref)s") % {"ref": complaint.reference},
        body=body,
        link=links.status_url(token),
    )
