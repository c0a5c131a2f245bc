"""Which case a complaint or a failure goes to: the customer's open case on the same episode, else an open case an
app above relates it to (text: a near-duplicate), else a new case with its priority, owner (回避) and deadline.

The one door for intake, the failures recovery records itself, and the split of a complaint. The caller says
everything that decides it in one `CaseOpening`; the answer (`OpenedCase`) says what happened and what the
caller writes next. The episode rule is `rules.Episode`; relators are added by `assembly.wiring`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, models
from django.db.models import Q, QuerySet

from amends.accounts.models import User
from amends.core import audit, batch
from amends.customers.models import Customer
from amends.journeys.models import Touchpoint

from ..models import IS_OPEN, Case, CaseStatus, TimelineKind
from ..rules import Episode
from .common import CASE_AUDIT_FIELDS, save_case, timeline_add
from .owners import candidates, candidates_kept, choose, pick_owner
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
    # For the caller's own writes after: ids to reserve (core.batch.create) and `.values()` querysets to read,
    # both in the one statement that reads the customer's cases (PostgreSQL; elsewhere neither is read: the
    # caller reads for itself what `OpenedCase.read` lacks).
    reserve: tuple[type[models.Model] | batch.NewId, ...] = ()
    also_read: dict[str, QuerySet[Any] | batch.Bound] = field(default_factory=dict)


@dataclass(frozen=True)
class RelatedCase:
    """An open case a new complaint is related to though it is not the customer's own episode (found by an app
    above recovery: a near-duplicate text)."""

    case_id: int
    reason: str  # similar_text
    detail: dict = field(default_factory=dict)


class Relator(Protocol):
    """Finds an open case a complaint is related to. `read` says which rows it looks at (read with the
    customer's cases, in the same statement, where reads go together); `decide` answers from them."""

    name: str

    def read(self, *, customer_id: int, at: datetime, since: datetime) -> batch.Bound: ...

    def decide(self, rows: list[dict[str, Any]], *, words: str, episode: Episode) -> RelatedCase | None: ...


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
    read: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # the caller's `also_read`

    def note_assignment(self, at: datetime) -> None:
        if self.assigned is not None:
            data = {"owner": self.assigned.pk, "auto": True, "reason": self.reason}
            timeline_add(self.case, TimelineKind.ASSIGNED, actor=None, data=data, at=at)


def case_open_or_join(*, actor: User | None, opening: CaseOpening) -> OpenedCase:
    """Join the customer's open case on the same episode, or a related one, or open a new case with priority,
    owner and deadline. Inside the caller's transaction.

    The customer row is locked first, so two complaints of one customer arriving together cannot open two
    cases for the same episode. Then one read (`core.batch.read`: one statement on PostgreSQL) answers every
    question: is a case open on this episode (locked as it is read), how many opened within the repeat
    window, did one on this episode close recently, who could own a new case — with the ids of the rows
    about to be written and whatever the caller asked to read with it. A customer new in this transaction
    (no row yet: `customer.pk` is None, written here with the case) has no cases to look at.
    """
    o = opening
    # Where reads are not sent together (SQLite) only what every path needs is read up front; the rest (the
    # open case, the owners, the caller's `also_read`) when a path needs it, as before.
    together = batch.reads_together()
    excluded = {o.subject.pk} if o.subject is not None else set()
    owners = candidates_kept(o.customer.org_unit, excluded)  # compiled once per process
    reads: dict[str, QuerySet[Any] | batch.Kept | batch.Bound] = {"owners": owners, **o.also_read}
    ids = [batch.NewId(Customer)] if o.customer.pk is None else []
    ids += [m if isinstance(m, batch.NewId) else batch.NewId(m) for m in o.reserve]
    if o.episode.own_case or o.customer_row is CustomerRow.NEW:
        found = batch.read(reads if together else {}, [batch.NewId(Case), *ids])
        return _open(actor, o, recent=[], found=found)
    if o.customer_row is CustomerRow.UNLOCKED:
        Customer.objects.select_for_update().filter(pk=o.customer.pk).values_list("pk", flat=True).first()
    window_start = o.at - timedelta(days=settings.AMENDS_REPEAT_WINDOW_DAYS)
    related_since = o.at - timedelta(days=settings.AMENDS_RELATED_DAYS)
    key = o.episode.key
    values = {"customer_id": o.customer.pk, "key": key}
    on_episode = _ON_EPISODE.bind(**values)
    reads["cases"] = _CASES.bind(**values, window_start=window_start, at=o.at, related_since=related_since)
    reads["open"] = _OPEN.bind(**values)
    # What the relators look at, read now too: asked only when no case is open on the episode, but a round trip
    # of their own then would cost more than the rows cost here.
    said_at = o.said_at or o.at
    said_since = said_at - timedelta(days=settings.AMENDS_RELATED_DAYS)
    for relator in RELATORS:
        reads[_related_key(relator)] = relator.read(customer_id=o.customer.pk, at=said_at, since=said_since)
    found = batch.read(reads if together else {"cases": reads["cases"]}, [batch.NewId(Case, unless=on_episode), *ids])
    recent: list[int] = []  # the customer's cases opened within the repeat window
    closed_recently = False
    for row in found["cases"]:
        if window_start <= row["opened_at"] <= o.at:
            recent.append(row["pk"])
        if row["episode_key"] == key and row["status"] == CaseStatus.CLOSED:
            closed_recently = closed_recently or (row["closed_at"] is not None and row["closed_at"] >= related_since)
    why = None
    existing = None
    if "open" not in found:  # read alone: the first open case on the episode, locked now
        on_key = [r["pk"] for r in found["cases"] if r["episode_key"] == key and r["status"] != CaseStatus.CLOSED]
        open_pk = on_key[0] if on_key else None
        existing = _locked_open(open_pk) if open_pk is not None else None
    elif found["open"]:
        existing = _case_of(found["open"][0], o)
    if existing is not None:
        why = {"reason": o.episode.join_reason}
    else:
        related = _related(o, found, at=said_at, since=said_since)
        if related is not None:
            existing = _locked_open(related.case_id)
            why = {"reason": related.reason, **related.detail}
    if existing is None:
        return _open(actor, o, recent=recent, closed_recently=closed_recently, found=found)
    joined = _join(actor, o, existing, why=why, repeats=sum(1 for pk in recent if pk != existing.pk))
    return replace(joined, read=found)


def _on_episode(customer_id: int, key: str) -> QuerySet[Case]:
    return Case.objects.filter(IS_OPEN, customer_id=customer_id, episode_key=key)


def _cases(customer_id: int, key: str, window_start: datetime, at: datetime, related_since: datetime) -> QuerySet[Any]:
    """The customer's cases that say whether this one repeats or returns: open on the episode, opened within
    the repeat window, closed on the episode recently."""
    return (
        Case.objects.filter(customer_id=customer_id)
        .filter(
            Q(IS_OPEN, episode_key=key)
            | Q(opened_at__gte=window_start, opened_at__lte=at)
            | Q(episode_key=key, status=CaseStatus.CLOSED, closed_at__gte=related_since)
        )
        .order_by("opened_at")
        .values("pk", "opened_at", "status", "episode_key", "closed_at")
    )


def _open_on_episode(customer_id: int, key: str) -> QuerySet[Any]:
    """The first open case on the episode with its owner, locked as it is read."""
    columns = [*_case_columns(), *(f"owner__{c}" for c in _user_columns())]
    return _on_episode(customer_id, key).select_for_update(of=("self",)).order_by("opened_at").values(*columns)[:1]


# A complaint's case read, compiled once per process with its values as parameters (core.batch.KeptWith):
# building and compiling these on every complaint cost more CPU than the database spends on them.
_ON_EPISODE = batch.KeptWith(
    lambda customer_id, key: _on_episode(customer_id, key).values("pk"), customer_id=int, key=str
)
_CASES = batch.KeptWith(_cases, customer_id=int, key=str, window_start=datetime, at=datetime, related_since=datetime)
_OPEN = batch.KeptWith(_open_on_episode, customer_id=int, key=str)


def _case_columns() -> list[str]:
    return [f.attname for f in Case._meta.concrete_fields]


def _user_columns() -> list[str]:
    return [f.attname for f in User._meta.concrete_fields]


def _case_of(row: dict[str, Any], o: CaseOpening) -> Case:
    """The open case read (and locked) with the customer's other cases, with what is at hand attached: its
    customer, owner, unit and touchpoint."""
    columns = _case_columns()
    case = Case.from_db(connection.alias, columns, [row[c] for c in columns])
    if case.owner_id is not None:
        owner = _user_columns()
        case.owner = User.from_db(connection.alias, owner, [row[f"owner__{c}"] for c in owner])
    if case.customer_id == o.customer.pk:
        case.customer = o.customer
    if case.org_unit_id == o.customer.org_unit_id:
        case.org_unit = o.customer.org_unit
    if case.touchpoint_id is not None and o.touchpoint is not None and o.touchpoint.pk == case.touchpoint_id:
        case.touchpoint = o.touchpoint
    return case


def _locked_open(pk: int) -> Case | None:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("owner", "org_unit", "customer", "touchpoint")
        .filter(IS_OPEN, pk=pk)
        .first()
    )


def _related_key(relator: Relator) -> str:
    return f"related:{relator.name}"


def _related(
    o: CaseOpening, found: dict[str, list[dict[str, Any]]], *, at: datetime, since: datetime
) -> RelatedCase | None:
    """The first relator's answer, from the rows read with the cases (or read now, where reads go one by one)."""
    for relator in RELATORS:
        rows = found.get(_related_key(relator))
        if rows is None:  # not read with the cases (SQLite): read alone
            rows = list(relator.read(customer_id=o.customer.pk, at=at, since=since).queryset())
        related = relator.decide(rows, words=o.words, episode=o.episode)
        if related is not None:
            return related
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


def _open(
    actor: User | None,
    o: CaseOpening,
    *,
    recent: list[int],
    found: dict[str, list[dict[str, Any]]],
    closed_recently: bool = False,
) -> OpenedCase:
    if o.customer.pk is None:
        batch.create(o.customer)  # the caller's new customer, written with its first case
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
    excluded = {o.subject.pk} if o.subject is not None else set()
    unit = o.customer.org_unit
    owners = found["owners"] if "owners" in found else list(candidates(unit, excluded))
    case.owner = choose(unit, owners, excluded)
    batch.create(case)
    if o.subject is not None:
        case.subjects.add(o.subject)
    audit.record(audit.entry(actor=actor, action="case.open", obj=case, after=audit.snapshot(case, CASE_AUDIT_FIELDS)))
    return OpenedCase(case, joined=False, assigned=case.owner, episode_closed_recently=closed_recently, read=found)
