"""Which case a complaint or a failure goes to: the customer's open case on the same episode, else an open case an
app above relates it to (text: a near-duplicate), else a new case with its priority, owner (回避) and deadline.

The one door for intake, the failures recovery records itself, and the split of a complaint. The caller says
everything that decides it in one `CaseOpening`; the answer (`OpenedCase`) says what happened and what the
caller writes next. The episode rule is `rules.Episode`; relators are added by `assembly.wiring`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db.models import Q

from amends.accounts.models import User
from amends.core import audit, batch
from amends.customers.models import Customer
from amends.journeys.models import Touchpoint

from ..models import IS_OPEN, Case, CaseStatus, TimelineKind
from ..rules import Episode
from .common import CASE_AUDIT_FIELDS, save_case, timeline_add
from .owners import pick_owner
from .priority import PRIORITY_FIELDS, reprioritise


class CustomerRow(enum.Enum):
    """What the caller knows of the customer's row: created in this same transaction (invisible to everyone
    else, no cases: nothing to lock or find), locked already by the caller, or neither."""

    NEW = "new"
    LOCKED = "locked"
    UNLOCKED = "unlocked"


@dataclass(frozen=True)
class CaseOpening:
    """Everything that decides which case a complaint or failure goes to and how urgent that case is.

    `due_at` is a complaint's regulatory deadline (None for a failure noticed without a complaint: no clock);
    a case keeps the earliest undecided one. `words` are the customer's own, said at `said_at` (a complaint's
    receipt; `at` when not given), for a relator looking back for a near-duplicate. `subject` is the staff
    member complained about, who may never own the case (回避).
    """

    customer: Customer
    episode: Episode
    at: datetime
    touchpoint: Touchpoint | None = None
    loss_amount: Decimal | None = None
    subject: User | None = None
    due_at: datetime | None = None
    words: str = ""
    said_at: datetime | None = None
    customer_row: CustomerRow = CustomerRow.UNLOCKED


@dataclass(frozen=True)
class RelatedCase:
    """An open case a new complaint is related to though it is not the customer's own episode (found by an app
    above recovery: a near-duplicate text)."""

    case_id: int
    reason: str  # similar_text
    detail: dict = field(default_factory=dict)


class Relator(Protocol):
    def __call__(
        self, *, customer_id: int, words: str, episode: Episode, at: datetime, since: datetime
    ) -> RelatedCase | None: ...


# Asked in turn, only when the customer has no open case on the episode: added by `assembly.wiring`.
RELATORS: list[Relator] = []


def add_relator(relator: Relator) -> None:
    if relator not in RELATORS:
        RELATORS.append(relator)


@dataclass(frozen=True)
class OpenedCase:
    """What `case_open_or_join` did. `assigned` is an owner it chose (a new case, or 回避 on a joined one): the
    caller writes what opened or joined the case on the timeline first, then `note_assignment()`.
    `episode_closed_recently`: for a new case, the customer's case on the same episode closed within
    AMENDS_RELATED_DAYS (the customer is back about the same matter: a repeat failure)."""

    case: Case
    joined: bool
    assigned: User | None = None
    reason: str = "auto"
    why: dict | None = None  # why it joined: {"reason": "same_claim" | "similar_text" | …, …}
    episode_closed_recently: bool = False

    def note_assignment(self, at: datetime) -> None:
        if self.assigned is not None:
            data = {"owner": self.assigned.pk, "auto": True, "reason": self.reason}
            timeline_add(self.case, TimelineKind.ASSIGNED, actor=None, data=data, at=at)


def case_open_or_join(*, actor: User | None, opening: CaseOpening) -> OpenedCase:
    """Join the customer's open case on the same episode, or a related one, or open a new case with priority,
    owner and deadline. Inside the caller's transaction.

    The customer row is locked first, so two complaints of one customer arriving together cannot open two
    cases for the same episode. One read answers every question about the customer's cases: is one open on
    this episode, how many opened within the repeat window, did one on this episode close recently.
    """
    o = opening
    if o.episode.own_case or o.customer_row is CustomerRow.NEW:
        return _open(actor, o, recent=[])
    if o.customer_row is CustomerRow.UNLOCKED:
        Customer.objects.select_for_update().filter(pk=o.customer.pk).values_list("pk", flat=True).first()
    window_start = o.at - timedelta(days=settings.AMENDS_REPEAT_WINDOW_DAYS)
    related_since = o.at - timedelta(days=settings.AMENDS_RELATED_DAYS)
    key = o.episode.key
    rows = (
        Case.objects.filter(customer=o.customer)
        .filter(
            Q(IS_OPEN, episode_key=key)
            | Q(opened_at__gte=window_start, opened_at__lte=o.at)
            | Q(episode_key=key, status=CaseStatus.CLOSED, closed_at__gte=related_since)
        )
        .order_by("opened_at")
        .values_list("pk", "opened_at", "status", "episode_key", "closed_at")
    )
    recent: list[int] = []  # the customer's cases opened within the repeat window
    open_pk, closed_recently = None, False
    for pk, opened_at, status, episode_key, closed_at in rows:
        if window_start <= opened_at <= o.at:
            recent.append(pk)
        if episode_key == key:
            if status != CaseStatus.CLOSED:
                open_pk = open_pk or pk
            elif closed_at is not None and closed_at >= related_since:
                closed_recently = True
    why = None
    existing = None
    if open_pk is not None:
        existing = _locked_open(open_pk)
        why = {"reason": o.episode.join_reason}
    else:
        found = _related(o)
        if found is not None:
            existing = _locked_open(found.case_id)
            why = {"reason": found.reason, **found.detail}
    if existing is None:
        return _open(actor, o, recent=recent, closed_recently=closed_recently)
    return _join(actor, o, existing, why=why, repeats=sum(1 for pk in recent if pk != existing.pk))


def _locked_open(pk: int) -> Case | None:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("owner", "org_unit", "customer", "touchpoint")
        .filter(IS_OPEN, pk=pk)
        .first()
    )


def _related(o: CaseOpening) -> RelatedCase | None:
    said_at = o.said_at or o.at
    since = said_at - timedelta(days=settings.AMENDS_RELATED_DAYS)
    for relate in RELATORS:
        found = relate(customer_id=o.customer.pk, words=o.words, episode=o.episode, at=said_at, since=since)
        if found is not None:
            return found
    return None


def _join(actor: User | None, o: CaseOpening, case: Case, *, why: dict | None, repeats: int) -> OpenedCase:
    if case.customer_id == o.customer.pk:
        case.customer = o.customer
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    changed = list(PRIORITY_FIELDS)
    if o.due_at is not None and (case.due_at is None or o.due_at < case.due_at):
        case.due_at = o.due_at
        changed.append("due_at")
    reassigned = None
    if o.subject is not None:
        case.subjects.add(o.subject)
        if case.owner_id == o.subject.pk:
            # 回避: the person complained about may not keep the case.
            excluded = set(case.subjects.values_list("pk", flat=True))
            case.owner = reassigned = pick_owner(case, excluded)
            changed.append("owner")
    reprioritise(case, repeats=repeats, loss_amount=o.loss_amount)
    save_case(case, before, actor=actor, action="case.join", fields=changed)
    return OpenedCase(case, joined=True, assigned=reassigned, reason="recusal", why=why)


def _open(actor: User | None, o: CaseOpening, *, recent: list[int], closed_recently: bool = False) -> OpenedCase:
    case = Case(
        customer=o.customer,
        org_unit=o.customer.org_unit,
        touchpoint=o.touchpoint,
        episode_key=o.episode.key,
        opened_at=o.at,
        due_at=o.due_at,
        status=CaseStatus.OPEN,
    )
    reprioritise(case, repeats=len(recent), loss_amount=o.loss_amount)
    case.owner = pick_owner(case, {o.subject.pk} if o.subject is not None else set())
    batch.create(case)
    if o.subject is not None:
        case.subjects.add(o.subject)
    audit.record(audit.entry(actor=actor, action="case.open", obj=case, after=audit.snapshot(case, CASE_AUDIT_FIELDS)))
    return OpenedCase(case, joined=False, assigned=case.owner, episode_closed_recently=closed_recently)
