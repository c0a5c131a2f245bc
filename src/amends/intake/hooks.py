"""Where apps above intake join in when a complaint arrives, without intake importing them.

A receiver runs inside `complaint_receive`'s transaction, after the complaint and its case are written, so
what it writes (text's flags and suggested codes, their alerts, a higher priority) commits or rolls back
with the complaint. An answer field adds a key to the complaint's API answer (DESIGN §5: `flags`,
`suggested`). Both are registered by `assembly.wiring`, which lists every hook between the apps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from amends.accounts.models import User
    from amends.core import batch

    from .models import Complaint


class Receiver(Protocol):
    def __call__(self, *, complaint: Complaint, actor: User, at: datetime) -> object: ...


RECEIVERS: dict[str, Receiver] = {}
# What a receiver will create for a complaint in these words (models, once per row): their ids are reserved
# with intake's read, so the rows go out with the complaint's other writes (core.batch).
CREATES: dict[str, Callable[[str], list[type[Model]]]] = {}
ANSWER_FIELDS: dict[str, Callable[[Complaint], Any]] = {}


def register_receiver(name: str, receiver: Receiver, creates: Callable[[str], list[type[Model]]] | None = None) -> None:
    RECEIVERS[name] = receiver
    if creates is not None:
        CREATES[name] = creates


def ids_wanted(words: str) -> list[type[Model]]:
    return [model for creates in CREATES.values() for model in creates(words)]


def register_answer(name: str, field: Callable[[Complaint], Any]) -> None:
    ANSWER_FIELDS[name] = field


def received(*, complaint: Complaint, actor: User, at: datetime) -> None:
    for receiver in RECEIVERS.values():
        receiver(complaint=complaint, actor=actor, at=at)


def answer_fields(complaint: Complaint) -> dict[str, Any]:
    return {name: field(complaint) for name, field in ANSWER_FIELDS.items()}


# Notices the measure requires the complainant to be sent (receipt, extension, pause and its end, decision,
# withdrawal, review decision). Intake says what happened and with which values; the sender registered by
# `assembly.wiring` (correspondence: the customer's preferred contact, editable templates in three languages,
# sending after commit with retries) decides how. A sender joins the caller's transaction.
NOTICE_KINDS = ("receipt", "extension", "pause", "resume", "decision", "withdrawal", "review", "review_decision")


class NoticeSender(Protocol):
    def __call__(self, *, actor: User, complaint: Complaint, kind: str, values: dict[str, object]) -> object: ...


NOTICE_SENDERS: dict[str, NoticeSender] = {}
# What a sender needs read about a customer to send their receipt notice (querysets of `.values()` rows by name,
# read with intake's case read and handed over through `core.batch.remember`) and the models it creates (ids
# reserved with that read): the receipt notice then costs the complaint no statement of its own.
NOTICE_READS: dict[str, Callable[[int], dict[str, QuerySet[Any] | batch.Bound]]] = {}
NOTICE_CREATES: dict[str, list[type[Model]]] = {}


def register_notice_sender(
    name: str,
    sender: NoticeSender,
    reads: Callable[[int], dict[str, QuerySet[Any] | batch.Bound]] | None = None,
    creates: list[type[Model]] | None = None,
) -> None:
    NOTICE_SENDERS[name] = sender
    if reads is not None:
        NOTICE_READS[name] = reads
    if creates is not None:
        NOTICE_CREATES[name] = creates


def notice_reads(customer_id: int) -> dict[str, QuerySet[Any] | batch.Bound]:
    """What the senders want read with a complaint of this customer (an existing one) to send its receipt."""
    return {name: qs for reads in NOTICE_READS.values() for name, qs in reads(customer_id).items()}


def notice_creates() -> list[type[Model]]:
    return [model for creates in NOTICE_CREATES.values() for model in creates]


def notice(*, actor: User, complaint: Complaint, kind: str, values: dict[str, object]) -> None:
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notice kind {kind}")
    for sender in NOTICE_SENDERS.values():
        sender(actor=actor, complaint=complaint, kind=kind, values=values)
