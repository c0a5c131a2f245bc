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
    from django.db.models import Model

    from amends.accounts.models import User

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
