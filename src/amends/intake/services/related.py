"""Related complaints: a customer coming back, split and merge.

Which open case a new complaint joins is recovery's (`recovery.services.opening`: the same episode, else a
near-duplicate of the customer's own within AMENDS_RELATED_DAYS); complaints of other customers are never
joined. A customer who comes back about an open case a day or more later, or within the window after its case
closed, is a repeat failure (double deviation). Staff split a complaint out to its own case or merge two
cases; both check the case versions and are audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, QuerySet
from django.utils.translation import gettext as _

from amends.accounts.access import WORKS_CASES, in_scope, require
from amends.accounts.models import User
from amends.core import audit, batch, clock
from amends.core.errors import NotFound, RuleViolation
from amends.customers.models import Customer, Policy
from amends.recovery import services as recovery
from amends.recovery.models import Case, CaseStatus, Failure, TimelineKind
from amends.recovery.rules import Episode
from amends.recovery.services.common import check_version, locked_case

from ..access import access_complaint
from ..models import Complaint

LAST_COMPLAINT = "last_complaint"


def last_complaints(customer: Customer) -> batch.Bound:
    """When the latest complaint came of each of the customer's open cases (`.values()` rows of case_id and
    last), read with the customer's cases when a complaint arrives (`CaseOpening.also_read`): a complaint only
    ever joins one of them."""
    return _LAST.bind(customer_id=customer.pk)


def _last(customer_id: int) -> QuerySet[Any]:
    return (
        Complaint.objects.filter(case__customer_id=customer_id)
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by()
        .values("case_id")
        .annotate(last=Max("received_at"))
    )


def _open_cases(customer_id: int, key: str) -> QuerySet[Any]:
    return Case.objects.filter(customer_id=customer_id, episode_key=key).exclude(status=CaseStatus.CLOSED).values("pk")


def _back(customer_id: int, key: str, before: datetime) -> QuerySet[Any]:
    return Complaint.objects.filter(case__in=_open_cases(customer_id, key), received_at__lte=before).values("pk")


def _closed(customer_id: int, key: str, since: datetime) -> QuerySet[Any]:
    return Case.objects.filter(
        customer_id=customer_id, episode_key=key, status=CaseStatus.CLOSED, closed_at__gte=since
    ).values("pk")


# Read with every complaint of a known customer: compiled once per process, the values as parameters.
_LAST = batch.KeptWith(_last, customer_id=int)
_OPEN_CASES = batch.KeptWith(_open_cases, customer_id=int, key=str)
_BACK = batch.KeptWith(_back, customer_id=int, key=str, before=datetime)
_CLOSED = batch.KeptWith(_closed, customer_id=int, key=str, since=datetime)


def repeat_ids(customer: Customer, episode: Episode, at: datetime) -> list[batch.NewId]:
    """The repeat failure `note_repeat` may record, its id reserved when it will: the customer's open case on
    the episode had a complaint long enough ago, or their case on the episode closed recently."""
    values = {"customer_id": customer.pk, "key": episode.key}
    back = _BACK.bind(**values, before=at - timedelta(hours=settings.AMENDS_REPEAT_CONTACT_HOURS))
    closed = _CLOSED.bind(**values, since=at - timedelta(days=settings.AMENDS_RELATED_DAYS))
    return [batch.NewId(Failure, when=back), batch.NewId(Failure, when=closed, unless=_OPEN_CASES.bind(**values))]


def note_repeat(*, actor: User, complaint: Complaint, opened: recovery.OpenedCase, at: datetime) -> Failure | None:
    """Record a repeat failure when the complainant comes back: a day or more after the case's previous
    complaint (a same-day duplicate is one contact), or within the window after the episode's case closed
    (recovery saw that when it opened the new case)."""
    case = complaint.case
    if opened.joined:
        if LAST_COMPLAINT in opened.read:  # read with the customer's cases, before this complaint was written
            previous = next((r["last"] for r in opened.read[LAST_COMPLAINT] if r["case_id"] == case.pk), None)
        else:
            previous = (
                Complaint.objects.filter(case=case).exclude(pk=complaint.pk).aggregate(last=Max("received_at"))["last"]
            )
        back = previous is not None and complaint.received_at - previous >= timedelta(
            hours=settings.AMENDS_REPEAT_CONTACT_HOURS
        )
    else:
        back = opened.episode_closed_recently
    if not back:
        return None
    return recovery.repeat_failure_record(
        actor=actor,
        case=case,
        customer=complaint.customer,
        source_ref=f"complaint:{complaint.pk}",
        description=_("The customer came back about this matter (%(complaint)s): a second failure.")
        % {"complaint": complaint.reference},
        at=at,
    )


def _refresh_clock(actor: User, case: Case) -> None:
    due = Complaint.objects.filter(case=case, decided_at__isnull=True).aggregate(due=Min("due_at"))["due"]
    recovery.case_clock_update(actor=actor, case=case, due_at=due)


@transaction.atomic
def complaint_split(*, actor: User, complaint_id: int, version: int | None) -> Case:
    """Move a complaint that is about something else out of its case into a new case of its own."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id)
    source = locked_case(actor, complaint.case_id)
    check_version(source, version)
    complaint = (
        Complaint.objects.select_for_update(of=("self",)).select_related("customer", "touchpoint").get(pk=complaint.pk)
    )
    if Complaint.objects.filter(case=source).count() < 2:
        raise RuleViolation(
            _("This is the case's only complaint: there is nothing to split it from."), code="split_only"
        )
    now = clock.now()
    opened = recovery.case_open_or_join(
        actor=actor,
        opening=recovery.CaseOpening(
            customer=Customer.objects.select_related("org_unit").get(pk=complaint.customer_id),
            episode=Episode.split_out(complaint.pk),  # later complaints of the episode still join the original case
            at=now,
            touchpoint=complaint.touchpoint,
            loss_amount=complaint.loss_amount,
            subject=complaint.subject,
            due_at=complaint.due_at if complaint.decided_at is None else None,
        ),
    )
    with audit.changing(complaint, actor=actor, action="complaint.split", tracked=["case"], update_fields=["case"]):
        complaint.case = opened.case
    recovery.timeline_add(
        opened.case,
        TimelineKind.SPLIT,
        actor=actor,
        text=complaint.description,
        at=now,
        data={"complaint": complaint.pk, "from": source.pk, "reference": source.reference},
    )
    opened.note_assignment(now)
    recovery.timeline_add(
        source,
        TimelineKind.SPLIT,
        actor=actor,
        at=now,
        data={"complaint": complaint.pk, "into": opened.case.pk, "reference": opened.case.reference},
    )
    _refresh_clock(actor, source)
    return opened.case


@transaction.atomic
def case_merge(
    *, actor: User, case_id: int, other_id: int, version: int | None, other_version: int | None = None
) -> Case:
    """Merge case `other_id` into case `case_id`: its complaints and failures move over, it closes as merged."""
    require(actor, WORKS_CASES)
    if case_id == other_id:
        raise RuleViolation(_("A case cannot be merged into itself."), code="merge_self")
    # Lock in id order so two merges of the same pair in opposite directions cannot deadlock.
    locked = {pk: locked_case(actor, pk) for pk in sorted((case_id, other_id))}
    into, other = locked[case_id], locked[other_id]
    check_version(into, version)
    check_version(other, other_version)
    if not into.is_open or not other.is_open:
        raise RuleViolation(_("Only two open cases can be merged."), code="merge_closed")
    if into.customer_id != other.customer_id:
        # Two people's complaints on one case would show each the other's recovery: link the customer first.
        raise RuleViolation(_("Only cases of the same customer can be merged."), code="merge_other_customer")
    now = clock.now()
    moved = list(Complaint.objects.filter(case=other).values_list("pk", flat=True))
    Complaint.objects.filter(pk__in=moved).update(case=into)
    Failure.objects.filter(case=other).update(case=into)
    for pk in moved:
        audit.record(
            audit.entry(
                actor=actor,
                action="complaint.merge",
                obj=Complaint(pk=pk),
                before={"case": other.pk},
                after={"case": into.pk},
            )
        )
    into.customer = Customer.objects.get(pk=into.customer_id)
    recovery.case_absorb(actor=actor, into=into, other=other, at=now)
    _refresh_clock(actor, into)
    return into


@transaction.atomic
def complaint_link_customer(
    *, actor: User, complaint_id: int, customer_id: int, case_id: int | None = None
) -> Complaint:
    """File a complaint received under a customer record of its own (identity not yet verified: the portal)
    under the customer it turned out to be, once verified: it opens or joins that customer's case on its
    episode like a new complaint would — or joins `case_id`, a case of that customer's that staff chose — and
    its provisional case closes as merged into it. Runs in the caller's transaction."""
    require(actor, WORKS_CASES)
    complaint = access_complaint(actor, complaint_id)
    source = locked_case(actor, complaint.case_id)
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("customer", "touchpoint__journey")
        .get(pk=complaint.pk)
    )
    customer = (
        Customer.objects.select_for_update(of=("self",)).select_related("org_unit").filter(pk=customer_id).first()
    )
    if customer is None or not in_scope(actor, customer.org_unit_id):
        raise NotFound(_("No customer with this id in your organisation."), fields={"customer": [_("Not found.")]})
    target = None
    if case_id is not None:
        target = locked_case(actor, case_id)  # out of the actor's scope: 404, as if it did not exist
        if target.customer_id != customer.pk:
            raise RuleViolation(
                _("This case is another customer's: choose one of %(name)s's cases.") % {"name": customer.name},
                code="link_other_customer",
                fields={"case": [_("Another customer's case.")]},
            )
        if target.status == CaseStatus.CLOSED:
            raise RuleViolation(
                _("This case is closed: choose an open one, or none to let the rules choose."),
                code="case_closed",
                fields={"case": [_("Closed.")]},
            )
    if customer.pk == complaint.customer_id:
        return complaint
    if Complaint.objects.filter(case=source).exclude(pk=complaint.pk).exists():
        raise RuleViolation(
            _("This complaint shares its case with others: split it out first."), code="link_shared_case"
        )
    now = clock.now()
    touchpoint = complaint.touchpoint
    opened = None
    if target is None:
        opened = recovery.case_open_or_join(
            actor=actor,
            opening=recovery.CaseOpening(
                customer=customer,
                episode=Episode.of(
                    claim_no=complaint.claim_no,
                    policy_no=complaint.policy_no,
                    journey=touchpoint.journey.code if touchpoint else None,
                ),
                at=now,
                touchpoint=touchpoint,
                loss_amount=complaint.loss_amount,
                subject=complaint.subject,
                due_at=complaint.due_at if complaint.decided_at is None else None,
                words=f"{complaint.description}\n{complaint.request}",
                said_at=complaint.received_at,
                customer_row=recovery.CustomerRow.LOCKED,
            ),
        )
        target = opened.case
    policy = Policy.objects.filter(policy_no=complaint.policy_no, customer=customer).first()
    with audit.changing(
        complaint,
        actor=actor,
        action="complaint.link_customer",
        tracked=["case", "customer", "policy"],
        update_fields=["case", "customer", "policy"],
    ):
        complaint.case, complaint.customer, complaint.policy = target, customer, policy
    Failure.objects.filter(case=source).update(case=target, customer=customer)
    recovery.timeline_add(
        target,
        TimelineKind.COMPLAINT,
        actor=actor,
        text=complaint.description,
        at=now,
        data={
            "complaint": complaint.pk,
            "channel": complaint.channel,
            "joined": opened.joined if opened else True,
            "linked": True,
        },
    )
    if opened is not None:
        opened.note_assignment(now)
        note_repeat(actor=actor, complaint=complaint, opened=opened, at=now)
    recovery.case_absorb(actor=actor, into=target, other=source, at=now)
    _refresh_clock(actor, target)
    return complaint


def find_case(actor: User, reference: str) -> Case:
    """A case by its reference (BJ-2026-000045) or number, in the actor's scope."""
    digits = reference.strip().rsplit("-", 1)[-1]
    if not digits.isdigit():
        raise NotFound(_("No such case."))
    from amends.recovery.access import access_case

    return access_case(actor, int(digits))
