"""Text-message backends. `settings.AMENDS_SMS_BACKEND` names one by dotted path; an insurer plugs in its
SMS gateway with a class of the same shape (`send(to, text)`, raising on failure). The default writes each
message to the log; `FileBackend` (the demo's) appends them to a file; `MemoryBackend` keeps them in
`outbox` for tests, like Django's locmem mail backend."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("amends.sms")


class Backend(Protocol):
    def send(self, to: str, text: str) -> None: ...


class LogBackend:
    def send(self, to: str, text: str) -> None:
        log.warning("SMS to %s: %s", to, text)


class FileBackend:
    """Appends each message to `AMENDS_SMS_FILE` (the demo's var/sms.log), where a presenter can open links."""

    def send(self, to: str, text: str) -> None:
        with open(settings.AMENDS_SMS_FILE, "a", encoding="utf-8") as out:
            out.write(f"{to}\t{text}\n")


@dataclass(frozen=True)
class Sent:
    to: str
    text: str


outbox: list[Sent] = []


class MemoryBackend:
    def send(self, to: str, text: str) -> None:
        outbox.append(Sent(to, text))


@cache
def _backend(path: str) -> Backend:
    backend: Backend = import_string(path)()
    return backend


def backend() -> Backend:
    return _backend(settings.AMENDS_SMS_BACKEND)
