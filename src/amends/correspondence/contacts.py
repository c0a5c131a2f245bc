"""Where the customer wants to be written to. Customers file their preference (and language) with apps above
this one, e.g. on the portal; such an app registers a reader here (from `assembly.wiring`), and the first
reader with an answer wins. Without one, the address on file decides (`rules.choose_channel`).

A reader may also say how to read its answers for all of a customer's open cases at once (`ReadAhead`): intake
then reads them with the complaint's case read, and a receipt notice costs no statement to find its channel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from amends.core import batch


@dataclass(frozen=True)
class Preference:
    channel: str | None = None  # "sms" | "email" | "phone" | None
    language: str | None = None


Reader = Callable[[int], Preference | None]  # a case id → its customer's preference


@dataclass(frozen=True)
class ReadAhead:
    """A reader's answers for a customer's open cases: `rows(customer_id)` (a `.values()` queryset, or a
    `core.batch.KeptWith` bound to the customer, read with other things under `name`) and `pick(rows, case_id)`,
    which answers as the reader would from them."""

    name: str
    rows: Callable[[int], QuerySet[Any] | batch.Bound]
    pick: Callable[[list[dict[str, Any]], int], Preference | None]


_readers: list[tuple[Reader, ReadAhead | None]] = []


def register_preference(reader: Reader, ahead: ReadAhead | None = None) -> None:
    if all(reader is not r for r, _ in _readers):
        _readers.append((reader, ahead))


def preference_reads(customer_id: int) -> dict[str, QuerySet[Any] | batch.Bound]:
    """The querysets to read ahead for a complaint of this customer (see `ReadAhead`)."""
    return {ahead.name: ahead.rows(customer_id) for _, ahead in _readers if ahead is not None}


def preference_of(case_id: int) -> Preference:
    for reader, ahead in _readers:
        rows = batch.recalled(ahead.name) if ahead is not None else None
        found = reader(case_id) if ahead is None or rows is None else ahead.pick(rows, case_id)
        if found is not None:
            return found
    return Preference()
