"""Where the customer wants to be written to. Customers file their preference (and language) with apps above
this one, e.g. on the portal; such an app registers a reader here (from `assembly.wiring`), and the first
reader with an answer wins. Without one, the address on file decides (`rules.choose_channel`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from amends.recovery.models import Case


@dataclass(frozen=True)
class Preference:
    channel: str | None = None  # "sms" | "email" | "phone" | None
    language: str | None = None


Reader = Callable[[Case], Preference | None]
_readers: list[Reader] = []


def register_preference(reader: Reader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def preference_of(case: Case) -> Preference:
    for reader in _readers:
        found = reader(case)
        if found is not None:
            return found
    return Preference()
