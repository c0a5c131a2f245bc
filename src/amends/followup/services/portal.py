"""Filing a complaint on the public portal (投诉门户): no login, rate limited, acknowledged at once.

The complaint goes through intake's `complaint_receive` (channel `portal`) like every other channel, as the
self-service account; this module adds only what the portal owns: the contact checks, the rate limits, the
private status link and the acknowledgement. Limits are counted atomically in the database (`core.throttle`),
not a cache: they hold across web processes, restarts and simultaneous requests without any extra server.

Identity (the 2020 measure asks the insurer to verify the complainant and protect their information): a
complaint is filed under a customer record and a case of its own, whatever policy number, name or phone it
gives. It joins the customer those details point at only after a one-time code, sent to the phone or e-mail
that customer has on file, is typed back on the status page (`portal_code_send`, `portal_code_verify`); the
token of thanks goes to the verified customer.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.core import audit, clock, throttle
from amends.core.errors import Conflict, InvalidInput, RuleViolation
from amends.core.inputs import normalise_email, normalise_phone
from amends.customers.models import Customer, Policy, Segment
from amends.intake.access import access_complaint
from amends.intake.models import Channel, Complaint
from amends.intake.services import ComplaintInput, NewCustomer, complaint_link_customer, complaint_receive

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
    """Count this submission against both limits, in the caller's transaction (rolled back with it)."""
    (per_address, address_window), (per_contact, contact_window) = (
        settings.AMENDS_PORTAL_LIMITS["address"],
        settings.AMENDS_PORTAL_LIMITS["contact"],
    )
    if not throttle.allow(f"portal:address:{client_key}", limit=per_address, window_seconds=address_window, now=now):
        raise RateLimited(
            _("Many complaints were sent from this connection just now. Please try again later, or call us."),
            fields={"client": [_("Too many submissions from this connection.")]},
        )
    if not throttle.allow(f"portal:contact:{contact_key}", limit=per_contact, window_seconds=contact_window, now=now):
        raise RateLimited(
            _(
                "We already have several complaints with these contact details today; we will be in touch. "
                "To add something, call us."
            ),
            fields={"contact": [_("Too many submissions with these contact details.")]},
        )


def _claimed_customer(data: PortalInput, phone: str) -> Customer | None:
    """The customer the details point at (the policy's holder, else the same name and phone), or None.
    Never shown to the complainant: only the one-time code sent to its contact on file can link them."""
    if data.policy_no.strip():
        policy = Policy.objects.select_related("customer").filter(policy_no=data.policy_no.strip()).first()
        return policy.customer if policy is not None else None
    if phone and data.name.strip():
        variants = {phone, f"+86{phone}", data.phone.strip()}
        return Customer.objects.filter(phone__in=variants, name=data.name.strip()).order_by("pk").first()
    return None


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
    phone, email = normalise_phone(data.phone), normalise_email(data.email)
    client_key = links.keyed(client_address or "unknown")
    contact_key = links.keyed(phone or email)
    key = f"portal:{idempotency_key.strip()}" if idempotency_key.strip() else None
    actor = self_service_actor()
    token, digest = links.new_token()
    with transaction.atomic():
        if key is None or not Complaint.objects.filter(idempotency_key=key).exists():
            _check_limits(client_key, contact_key, now)
        claimed = _claimed_customer(data, phone)
        complaint, created = complaint_receive(
            actor=actor,
            data=ComplaintInput(
                channel=Channel.PORTAL,
                description=data.description,
                request=data.request,
                new_customer=NewCustomer(name=data.name, phone=phone, email=email, segment=Segment.INDIVIDUAL),
                policy_no=data.policy_no,
                claim_no=data.claim_no,
                identity_verified=False,
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
                claimed_customer=claimed,
            )
            audit.record(
                audit.entry(
                    actor=actor,
                    action="portal.submit",
                    obj=submission,
                    after={"complaint": complaint.pk, "contact_preference": submission.contact_preference},
                )
            )
            _acknowledge(complaint, submission, token)
        else:
            PortalSubmission.objects.filter(complaint=complaint).update(token_digest=digest)
    return complaint, token


def acknowledgement_text(reference: str, due_at: datetime, link: str) -> str:
    """The receipt sent when the complaint is filed (also shown first in the status page's thread)."""
    due = timezone.localtime(due_at)
    return _(
        "We have received your complaint %(ref)s and thank you for telling us. We will decide and tell you by "
        "%(due)s. Follow it here: %(link)s"
    ) % {"ref": reference, "due": f"{due:%Y-%m-%d}", "link": link}


def _acknowledge(complaint: Complaint, submission: PortalSubmission, token: str) -> None:
    customer = complaint.customer
    channel = ContactPreference.EMAIL if submission.contact_preference == ContactPreference.EMAIL else "sms"
    if not (customer.email if channel == ContactPreference.EMAIL else customer.phone):
        return
    notice_send(
        customer=customer,
        channel=channel,
        purpose="acknowledgement",
        subject=_("Your complaint %(ref)s") % {"ref": complaint.reference},
        body=acknowledgement_text(complaint.reference, complaint.due_at, LINK),
        link=links.status_url(token),
    )


def _locked_submission(token: str) -> PortalSubmission:
    from ..queries import submission_for_token

    found = submission_for_token(token)
    return PortalSubmission.objects.select_for_update(of=("self",)).select_related("claimed_customer").get(pk=found.pk)


def _code_digest(submission: PortalSubmission, code: str) -> str:
    return links.keyed(f"portal-code:{submission.pk}:{code}")


@transaction.atomic
def portal_code_send(*, token: str) -> None:
    """Send a one-time code to the contact on file of the customer the complaint's details point at.

    The answer is the same whether or not they point at anyone (and says nothing of the contact), so the
    page cannot be used to learn whether a policy number or a name and phone belong to a customer.
    """
    submission = _locked_submission(token)
    if submission.verified_at is not None:
        raise Conflict(_("This complaint is already linked to your customer record."), code="already_verified")
    now = clock.now()
    per, window = settings.AMENDS_PORTAL_CODE_LIMIT
    if not throttle.allow(f"portal:code:{submission.pk}", limit=per, window_seconds=window, now=now):
        raise RateLimited(_("Several codes were sent just now. Please wait an hour, or call us."))
    customer = submission.claimed_customer
    channel = "sms" if customer is not None and customer.phone else ContactPreference.EMAIL
    if customer is None or not (customer.phone or customer.email):
        audit.record(audit.entry(actor=None, action="portal.code_unmatched", obj=submission, after={}))
        return
    code = f"{secrets.randbelow(10**6):06d}"
    submission.code_digest = _code_digest(submission, code)
    submission.code_expires_at = now + timedelta(minutes=settings.AMENDS_PORTAL_CODE_MINUTES)
    submission.code_attempts = 0
    submission.save(update_fields=["code_digest", "code_expires_at", "code_attempts"])
    audit.record(audit.entry(actor=None, action="portal.code_send", obj=submission, after={"channel": channel}))
    # The code travels like a private link: stored in the notice as "[link]", put in only when it is sent.
    notice_send(
        customer=customer,
        channel=channel,
        purpose="verification",
        subject=_("Your verification code"),
        body=_(
            "Your verification code is %(code)s (valid %(minutes)s minutes). It links complaint %(ref)s to your "
            "policies. If you did not ask for it, ignore this message and nothing changes."
        )
        % {"code": LINK, "minutes": settings.AMENDS_PORTAL_CODE_MINUTES, "ref": submission.complaint.reference},
        link=code,
    )


def portal_code_verify(*, token: str, code: str) -> Complaint:
    """Check the code typed back; when right, link the complaint to the verified customer and thank them.

    A wrong code is counted (and the count kept, so the code dies after AMENDS_PORTAL_CODE_ATTEMPTS tries)
    before the error is raised outside the transaction.
    """
    with transaction.atomic():
        submission = _locked_submission(token)
        complaint = submission.complaint
        if submission.verified_at is not None:
            return complaint
        now = clock.now()
        expires = submission.code_expires_at
        right = (
            bool(submission.code_digest)
            and expires is not None
            and expires > now
            and hmac.compare_digest(submission.code_digest, _code_digest(submission, code.strip()))
        )
        if not right:
            submission.code_attempts += 1
            if submission.code_attempts >= settings.AMENDS_PORTAL_CODE_ATTEMPTS:
                submission.code_digest = ""
            submission.save(update_fields=["code_attempts", "code_digest"])
            audit.record(
                audit.entry(
                    actor=None, action="portal.code_wrong", obj=submission, after={"attempts": submission.code_attempts}
                )
            )
        else:
            assert submission.claimed_customer_id is not None
            actor = self_service_actor()
            complaint = complaint_link_customer(
                actor=actor, complaint_id=complaint.pk, customer_id=submission.claimed_customer_id
            )
            submission.verified_at = now
            submission.code_digest = ""
            submission.save(update_fields=["verified_at", "code_digest"])
            audit.record(
                audit.entry(
                    actor=actor,
                    action="portal.verify",
                    obj=submission,
                    after={"customer": submission.claimed_customer_id, "case": complaint.case_id},
                )
            )
            thanks_grant(complaint)
            return complaint
    raise InvalidInput(
        _("This code is not right or has expired. Ask for a new one."),
        code="code_wrong",
        fields={"code": [_("Not the code we sent.")]},
    )


# How staff verified a portal complainant's identity before linking the complaint to their record.
VERIFIED_BY = ("phone", "documents")


@transaction.atomic
def portal_link_verified(
    *, actor: User, complaint_id: int, customer_id: int, case_id: int | None, verified_by: str, note: str = ""
) -> Complaint:
    """Staff, having verified a portal complainant by phone (a call to the number on file) or by documents:
    file the complaint under that customer's record and a case of theirs (`case_id`, or the one its episode
    opens or joins), in the staff member's scope; the provisional case closes as merged, the submission counts
    as verified and the token of thanks goes to the verified customer. One transaction, audited."""
    if verified_by not in VERIFIED_BY:
        raise InvalidInput(
            _("Say how the identity was verified: by phone or by documents."),
            fields={"verified_by": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(VERIFIED_BY)}]},
        )
    complaint = access_complaint(actor, complaint_id)
    submission = PortalSubmission.objects.select_for_update().filter(complaint=complaint).first()
    if submission is None:
        raise RuleViolation(
            _("Only a complaint filed through the portal waits for its identity to be verified."), code="not_portal"
        )
    if submission.verified_at is not None:
        raise Conflict(
            _("This complaint was already linked to the verified customer's record."), code="already_verified"
        )
    complaint = complaint_link_customer(
        actor=actor, complaint_id=complaint.pk, customer_id=customer_id, case_id=case_id
    )
    submission.verified_at = clock.now()
    submission.code_digest = ""
    submission.save(update_fields=["verified_at", "code_digest"])
    audit.record(
        audit.entry(
            actor=actor,
            action="portal.verify_by_staff",
            obj=submission,
            after={"customer": customer_id, "case": complaint.case_id, "verified_by": verified_by, "note": note},
        )
    )
    thanks_grant(complaint)
    return complaint
