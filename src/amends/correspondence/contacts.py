"""Where the customer wants to be written to. Customers file their preference (and language) with apps above
this one, e.g. on the portal; such an app registers a reader here (from `assembly.wiring`), and the first
reader with an answer wins. Without one, the address on file decides (`rules.choose_channel`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Preference:
    channel: str | None = None  # "sms" | "email" | "phone" | None
    language: str | None = None


Reader = Callable[[int], Preference | None]  # a case id → its customer's preference
_readers: list[Reader] = []


def register_preference(reader: Reader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def preference_of(case_id: int) -> Preference:
    for reader in _readers:
        found = reader(case_id)
        if found is not None:
            return found
    return Preference()
