"""Input hygiene shared by every app: contact details normalised before they are compared or counted, and
text a database cannot store (NUL bytes, unpaired surrogates) refused before it reaches one.

PostgreSQL refuses a NUL byte in text (a 500 if nothing checks first) and SQLite stores it; neither should
see one. `core.hygiene` applies `text_problem` to every request's parameters and bodies.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_PHONE_NOISE = re.compile(r"[\s\-().]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise_phone(value: str) -> str:
    """A phone number as digits, without the mainland country code: "+86 138-0013-8000" → "13800138000"."""
    digits = _PHONE_NOISE.sub("", value.strip())
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix) :]
    return digits


def normalise_email(value: str) -> str:
    return value.strip().lower()


def text_problem(value: str) -> str | None:
    """Why a text cannot be stored ("nul" or "surrogate"), or None."""
    if "\x00" in value:
        return "nul"
    if _SURROGATE.search(value):
        return "surrogate"
    return None


# Times of things that already happened (a complaint received, an event occurred): nothing before 2000 is a
# real record, and clients' clocks drift by a few minutes at most.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SKEW = timedelta(minutes=5)


def moment_problem(value: datetime, now: datetime) -> str | None:
    """Why `value` cannot be when something happened ("naive", "too_early", "future"), or None."""
    if value.tzinfo is None:
        return "naive"
    if value < EARLIEST:
        return "too_early"
    if value > now + FUTURE_SKEW:
        return "future"
    return None


# A cell a spreadsheet would run as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula (`=HYPERLINK(…)`) with a leading apostrophe,
    which makes it plain text; every other value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
