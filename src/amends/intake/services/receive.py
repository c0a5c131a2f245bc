"""Receiving complaints: the one door for complaints from every channel.

`complaint_receive` (API, staff form, later the portal and importers) validates everything before writing
anything, finds or creates the customer, opens or joins the case, starts the regulatory clock and writes
timeline and audit rows, all in one transaction. A repeated `Idempotency-Key` returns the first
complaint, also when both requests arrive at the same moment.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet, Subquery
from django.utils.translation import gettext as _

from amends.accounts.access import RECEIVES_COMPLAINTS, in_scope, require, scope_unit_ids
from amends.accounts.models import User
from amends.core import audit, batch, clock
from amends.core.errors import Conflict, InvalidInput
from amends.core.inputs import moment_problem, text_problem
from amends.core.prepared import Prepared
from amends.customers.models import Customer, Policy, Segment
from amends.journeys.models import Touchpoint
from amends.journeys.queries import touchpoint_by_code
from amends.recovery import services as recovery
from amends.recovery.models import TimelineKind
from amends.recovery.rules import Episode
from amends.recovery.services import CustomerRow

from .. import hooks
from ..models import Channel, Complaint, FiledAs
from ..notices import local, notice_send
from .clock import COMPLAINT_AUDIT_FIELDS, law_due
from .related import LAST_COMPLAINT, last_complaints, note_repeat, repeat_ids

# Longer keys do not fit the unique index's column.
IDEMPOTENCY_KEY_MAX = 200


@dataclass
class NewCustomer:
    name: str
    phone: str = ""
    email: str = ""
    segment: str = Segment.INDIVIDUAL


@dataclass
class ComplaintInput:
    channel: str
    description: str
    request: str
    received_at: datetime | None = None
    customer_id: int | None = None
    new_customer: NewCustomer | None = None
    policy_no: str = ""
    claim_no: str = ""
    touchpoint: str = ""
    request_confirmed: bool = False
    loss_amount: Decimal | None = None
    subject_username: str = ""
    # A stranger can know a policy number, a name and a phone number: when the complainant's identity is not
    # verified (the public portal), the complaint is filed under a new customer of its own, and the policy
    # number is kept as the complainant's words, never looked up (an answer would tell whether it exists).
    identity_verified: bool = True
    # Who complained when not the customer (第十四条): agent, heir or guardian, their name, contact and authority.
    filed_as: str = ""
    filer_name: str = ""
    filer_contact: str = ""
    filer_authority: str = ""
    # A regulator transfer (12378): the transfer number and the regulator's deadline for feedback.
    regulator_ref: str = ""
    regulator_due_at: datetime | None = None
    extra: dict = field(default_factory=dict)

    def digest(self) -> str:
        """What a replayed Idempotency-Key is compared with: stored with the complaint, so it must never change
        for the same input (`asdict` gave the same payload, at three times the cost)."""
        payload = {k: v for k, v in vars(self).items() if k != "extra"}
        if self.new_customer is not None:
            payload["new_customer"] = dict(vars(self.new_customer))
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def plausible_phone(phone: str) -> bool:
    """Blank, or 5 to 15 digits with the spaces, dashes, brackets and leading + people type between them."""
    text = phone.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    rest = set(text.lstrip("+")) - set("0123456789 -()")
    return not text or (not rest and 5 <= len(digits) <= 15 and text.isascii())


def complaint_receive(
    *, actor: User, data: ComplaintInput, idempotency_key: str | None = None
) -> tuple[Complaint, bool]:
    """Record a complaint; returns it and whether it was created now (False for a replayed key)."""
    require(actor, RECEIVES_COMPLAINTS)
    key = (idempotency_key or "").strip() or None
    if key is not None and (len(key) > IDEMPOTENCY_KEY_MAX or text_problem(key)):
        raise InvalidInput(
            _("The Idempotency-Key is not usable."),
            fields={"Idempotency-Key": [_("At most %(max)s characters.") % {"max": IDEMPOTENCY_KEY_MAX}]},
        )
    digest = data.digest()
    try:
        return _receive(actor=actor, data=data, key=key, digest=digest), True
    except (IntegrityError, InvalidInput):
        # Idempotency rests on the unique index, not on a look-up first: a replayed key (or two requests
        # racing with one key) fails on it, our transaction rolls back whole, and the first complaint is the
        # answer. A replay that no longer validates (say the customer moved branch) gets it too. Replays
        # are rare; checking before every complaint would cost every complaint a statement.
        if key:
            replay = _replay(key, digest, actor)
            if replay is not None:
                return replay, False
        raise


def _replay(key: str, digest: str, actor: User) -> Complaint | None:
    # The usual answer is "no such key": ask with the lightest query, load the complaint only on a replay.
    found = list(Complaint.objects.filter(idempotency_key=key).values_list("pk", "request_digest", "created_by_id")[:1])
    if not found:
        return None
    pk, their_digest, their_author = found[0]
    # A key replayed by another user must not hand them someone else's complaint.
    if their_digest != digest or their_author != actor.pk:
        raise Conflict(
            _("This Idempotency-Key was already used for a different complaint."),
            code="idempotency_key_reused",
            fields={"Idempotency-Key": [_("Use a new key for a new complaint.")]},
        )
    return Complaint.objects.select_related("case__owner", "customer").get(pk=pk)


@transaction.atomic
def _receive(*, actor: User, data: ComplaintInput, key: str | None, digest: str) -> Complaint:
    now = clock.now()
    resolved = _validate(actor=actor, data=data, now=now)
    with batch.collect():
        return _record(actor=actor, data=data, resolved=resolved, key=key, digest=digest, now=now)


def _record(
    *, actor: User, data: ComplaintInput, resolved: _Resolved, key: str | None, digest: str, now: datetime
) -> Complaint:
    fresh = resolved.customer is None
    # A new customer's row is written with its case (recovery), once the case read has reserved its id.
    customer = resolved.customer or _new_customer(actor, resolved.new_customer, now)
    touchpoint = resolved.touchpoint
    due = law_due(resolved.received_at, 0)
    episode = Episode.of(
        claim_no=data.claim_no, policy_no=data.policy_no, journey=touchpoint.journey.code if touchpoint else None
    )
    words = f"{data.description.strip()}\n{data.request.strip()}"
    receipt = _receipt_wanted(data, customer)
    # The receipt notice's sender reads what it needs about the customer with the case read (a new customer has
    # nothing to read) and has its rows' ids reserved there: the notice joins the complaint's one write.
    notice_reads = {} if not receipt or fresh else hooks.notice_reads(customer.pk)
    also_read: dict[str, QuerySet[Any] | batch.Bound] = (
        {} if fresh else {LAST_COMPLAINT: last_complaints(customer), **notice_reads}
    )
    opened = recovery.case_open_or_join(
        actor=actor,
        opening=recovery.CaseOpening(
            customer=customer,
            episode=episode,
            at=now,
            touchpoint=touchpoint,
            loss_amount=data.loss_amount,
            subject=resolved.subject,
            due_at=due,
            words=f"{data.description}\n{data.request}",
            said_at=resolved.received_at,
            customer_row=CustomerRow.NEW if fresh else CustomerRow.LOCKED,  # locked as _validate read it
            # Read with the customer's cases: ids for the complaint and what the receivers will write, and
            # when the complaint before this one on the episode's open case came (a repeat failure?).
            reserve=(
                Complaint,
                *hooks.ids_wanted(words),
                *([] if fresh else repeat_ids(customer, episode, now)),
                *(hooks.notice_creates() if receipt else []),
            ),
            also_read=also_read,
        ),
    )
    for name in notice_reads:
        if name in opened.read:
            batch.remember(name, opened.read[name])
    if receipt and fresh:
        for name in hooks.notice_reads(0):
            batch.remember(name, [])  # a customer new in this transaction has no rows anywhere yet
    if fresh:
        _audit_new_customer(actor, customer)
    case = opened.case
    complaint = Complaint(
        case=case,
        customer=customer,
        channel=data.channel,
        received_at=resolved.received_at,
        due_at=due,
        policy=resolved.policy,
        policy_no=data.policy_no.strip(),
        claim_no=data.claim_no.strip(),
        touchpoint=touchpoint,
        description=data.description.strip(),
        request=data.request.strip(),
        request_confirmed=data.request_confirmed,
        loss_amount=data.loss_amount,
        subject=resolved.subject,
        created_by=actor,
        created_at=now,
        idempotency_key=key,
        request_digest=digest,
        filed_as=data.filed_as,
        filer_name=data.filer_name.strip(),
        filer_contact=data.filer_contact.strip(),
        filer_authority=data.filer_authority.strip(),
        regulator_ref=data.regulator_ref.strip(),
        # The regulator expects the insurer's feedback within the measure's period unless it set its own.
        regulator_due_at=(data.regulator_due_at or due) if data.channel == Channel.REGULATOR else None,
    )
    batch.create(complaint)
    recovery.timeline_add(
        case,
        TimelineKind.COMPLAINT,
        actor=actor,
        text=complaint.description,
        data={
            "complaint": complaint.pk,
            "channel": complaint.channel,
            "joined": opened.joined,
            **({"why": opened.why} if opened.why else {}),
        },
        at=now,
    )
    opened.note_assignment(now)
    if not fresh or opened.joined:
        note_repeat(actor=actor, complaint=complaint, opened=opened, at=now)
    audit.record(
        audit.entry(
            actor=actor,
            action="complaint.receive",
            obj=complaint,
            after=audit.snapshot(complaint, COMPLAINT_AUDIT_FIELDS),
        )
    )
    hooks.received(complaint=complaint, actor=actor, at=now)
    if receipt:
        notice_send(
            actor=actor,
            complaint=complaint,
            kind="receipt",
            values={"received": local(complaint.received_at), "due": local(complaint.due_at)},
        )
    return complaint


def _receipt_wanted(data: ComplaintInput, customer: Customer) -> bool:
    """Whether the complainant is sent a receipt notice: on the channels configured, to someone we can reach."""
    return data.channel in settings.AMENDS_RECEIPT_NOTICE_CHANNELS and bool(
        customer.phone or customer.email or data.filer_contact.strip()
    )


def complaint_problems(*, actor: User, data: ComplaintInput) -> dict[str, list[str]]:
    """What `complaint_receive` would refuse in `data`, per field, writing nothing: a page whose own form
    already failed reports these with its own errors, so one submit shows everything to correct."""
    require(actor, RECEIVES_COMPLAINTS)
    try:
        with transaction.atomic():
            _validate(actor=actor, data=data, now=clock.now())
    except InvalidInput as exc:
        return dict(exc.fields)
    return {}


@dataclass
class _Resolved:
    customer: Customer | None
    new_customer: NewCustomer | None
    policy: Policy | None
    touchpoint: Touchpoint | None
    subject: User | None
    received_at: datetime


def _validate(*, actor: User, data: ComplaintInput, now: datetime) -> _Resolved:
    """Check every field and resolve every reference before anything is written; report all problems at once."""
    errors: dict[str, list[str]] = {}
    required = _("This field is required.")
    if data.channel not in Channel.values:
        errors["channel"] = [_("Unknown channel “%(value)s”.") % {"value": data.channel}]
    if not data.description.strip():
        errors["description"] = [required]
    if not data.request.strip():
        errors["request"] = [required]
    received_at = data.received_at or now
    problem = moment_problem(received_at, now)
    if problem == "naive":
        errors["received_at"] = [_("Give the time with its UTC offset, e.g. 2026-11-01T09:30:00+08:00.")]
    elif problem == "future":
        errors["received_at"] = [_("The receipt time cannot be in the future.")]
    elif problem == "too_early":
        errors["received_at"] = [_("The receipt time cannot be before 2000-01-01.")]
    if data.filed_as and data.filed_as not in FiledAs.values:
        errors["filed_as"] = [_("Choose agent, heir or guardian.")]
    elif data.filed_as and not data.filer_name.strip():
        errors["filer_name"] = [_("Name who complained on the customer's behalf.")]
    if data.filed_as == FiledAs.AGENT and not data.filer_authority.strip():
        errors["filer_authority"] = [_("An agent complains with the customer's written authority: say what was shown.")]
    if (data.regulator_ref.strip() or data.regulator_due_at) and data.channel != Channel.REGULATOR:
        errors["regulator_ref"] = [_("Only a regulator transfer has a transfer number and deadline.")]
    if data.regulator_due_at is not None and data.regulator_due_at.tzinfo is None:
        errors["regulator_due_at"] = [_("Give the time with its UTC offset, e.g. 2026-11-01T09:30:00+08:00.")]
    if data.loss_amount is not None and data.loss_amount < 0:
        errors["loss_amount"] = [_("The loss amount cannot be negative.")]

    # An unverified complainant (the portal) proves nothing by a policy number or a name and phone: neither is
    # matched, and the number stays the complainant's words. Otherwise the customer is locked as it is read
    # (case_open_or_join needs the lock anyway, and this saves it a statement), with the policy the complaint
    # names read in the same statement.
    policy_no = data.policy_no.strip() if data.identity_verified else ""
    policy, policy_read = None, False
    customer = None
    if data.customer_id is not None:
        customer = _customer_by_id(data.customer_id, policy_no)
        if customer is None or not in_scope(actor, customer.org_unit_id):
            errors["customer.id"] = [_("No customer with this id in your organisation.")]
            customer = None
        elif policy_no:
            policy, policy_read = _policy_read_with(customer), True
            if policy is not None and policy.customer_id != customer.pk:
                # Whose it is, and in which branch, is not told.
                errors["policy_no"] = [_("No policy with this number for this customer.")]
    elif data.new_customer is not None:
        if not data.new_customer.name.strip():
            errors["customer.name"] = [required]
        if not plausible_phone(data.new_customer.phone):
            errors["customer.phone"] = [_("A phone number has digits only (spaces, dashes and a leading + allowed).")]
        if data.new_customer.segment not in Segment.values:
            errors["customer.segment"] = [_("Unknown segment “%(value)s”.") % {"value": data.new_customer.segment}]
        if policy_no:  # the policy says who the customer is
            customer = _customer_by_policy(policy_no)
            policy, policy_read = (_policy_read_with(customer) if customer else None), True
            if customer is not None and not in_scope(actor, customer.org_unit_id):
                customer, policy = None, None  # another branch's policy is answered as an unknown one
        elif data.new_customer.phone.strip() and data.identity_verified:
            # Only customers the receiver may see are matched: another branch's is not revealed by an error.
            customer = _customer_by_contact(actor, data.new_customer.phone.strip(), data.new_customer.name.strip())
    else:
        errors["customer"] = [_("Give an existing customer's id or a new customer's name.")]
    if policy_no and not policy_read:
        policy = Policy.objects.select_related("customer").filter(policy_no=policy_no).first()
        if policy is not None and not in_scope(actor, policy.customer.org_unit_id):
            policy = None  # as above: not told apart from an unknown number
    if policy_no and policy is None:
        errors["policy_no"] = [_("No policy with this number.")]

    touchpoint = None
    if data.touchpoint.strip():
        touchpoint = touchpoint_by_code(data.touchpoint.strip())
        if touchpoint is None:
            errors["touchpoint"] = [_("Unknown touchpoint “%(value)s”.") % {"value": data.touchpoint}]

    subject = None
    if data.subject_username.strip():
        subject = User.objects.filter(username=data.subject_username.strip()).first()
        if subject is None:
            errors["subject"] = [_("No staff member with this username.")]

    if actor.org_unit_id is None and customer is None and data.new_customer is not None:
        errors["customer"] = [_("A new customer needs a receiving branch; your account has none.")]
    if errors:
        raise InvalidInput(_("The complaint was not recorded: please correct the marked fields."), fields=errors)
    return _Resolved(customer, None if customer else data.new_customer, policy, touchpoint, subject, received_at)


def _locking(customers: QuerySet[Customer], policy_no: str | None) -> QuerySet[Customer]:
    """`customers` with their unit, locked for this transaction, and the id and owner of the policy numbered
    `policy_no` (None: no policy asked) in the same statement; ordered as `.first()` orders."""
    found = customers.select_related("org_unit").select_for_update(of=("self",))
    if policy_no is not None:
        policies = Policy.objects.filter(policy_no=policy_no)
        found = found.annotate(
            policy_pk=Subquery(policies.values("pk")[:1]), policy_customer=Subquery(policies.values("customer_id")[:1])
        )
    return found if found.ordered else found.order_by("pk")


# Every complaint looks its customer up one of these ways: compiled once per process (core.prepared), the
# values given as parameters, not built and compiled per complaint.
_BY_ID = Prepared(lambda customer_id: _locking(Customer.objects.filter(pk=customer_id), None), numbers=("customer_id",))
_BY_ID_AND_POLICY = Prepared(
    lambda customer_id, policy_no: _locking(Customer.objects.filter(pk=customer_id), policy_no),
    "policy_no",
    numbers=("customer_id",),
)
_BY_POLICY = Prepared(
    lambda policy_no: _locking(Customer.objects.filter(policies__policy_no=policy_no), policy_no), "policy_no"
)
_by_contact: dict[tuple[int, ...] | None, Prepared] = {}
_by_contact_lock = threading.Lock()


def _customer_by_id(customer_id: int, policy_no: str) -> Customer | None:
    if not -(2**63) <= customer_id < 2**63:
        return None  # no such id (the ORM answers this without asking the database, too)
    if policy_no:
        return cast("Customer | None", _BY_ID_AND_POLICY.first(customer_id=customer_id, policy_no=policy_no))
    return cast("Customer | None", _BY_ID.first(customer_id=customer_id))


def _customer_by_policy(policy_no: str) -> Customer | None:
    return cast("Customer | None", _BY_POLICY.first(policy_no=policy_no))


def _customer_by_contact(actor: User, phone: str, name: str) -> Customer | None:
    """The first customer with this phone and name among those the receiver may see."""
    ids = scope_unit_ids(actor)
    if ids == []:
        return None  # sees no unit: nobody to match
    key = None if ids is None else tuple(sorted(ids))
    with _by_contact_lock:
        found = _by_contact.get(key)
        if found is None:
            if len(_by_contact) >= 4096:
                _by_contact.clear()
            units = {} if key is None else {"org_unit_id__in": key}
            found = _by_contact[key] = Prepared(
                lambda phone, name: _locking(Customer.objects.filter(phone=phone, name=name, **units), None),
                "phone",
                "name",
            )
    return cast("Customer | None", found.first(phone=phone, name=name))


def _policy_read_with(customer: Customer) -> Policy | None:
    """The policy `_locking` read (its id and customer; the other fields load if used)."""
    pk = getattr(customer, "policy_pk", None)
    if pk is None:
        return None
    return Policy.from_db(connection.alias, ["id", "customer_id"], [pk, customer.policy_customer])  # type: ignore[attr-defined]


def _new_customer(actor: User, new: NewCustomer | None, now: datetime) -> Customer:
    assert new is not None and actor.org_unit is not None
    return Customer(
        customer_no=f"NC{now:%y%m}{secrets.token_hex(4).upper()}",
        name=new.name.strip(),
        phone=new.phone.strip(),
        email=new.email.strip(),
        segment=new.segment,
        org_unit=actor.org_unit,
        created_at=now,
    )


def _audit_new_customer(actor: User, customer: Customer) -> None:
    audit.record(
        audit.entry(
            actor=actor,
            action="customer.create",
            obj=customer,
            after=audit.snapshot(customer, ["customer_no", "name", "segment", "org_unit"]),
        )
    )
