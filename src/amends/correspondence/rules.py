"""Pure decisions of correspondence: filling a template, which channel reaches the customer, when to try a
failed message again. No ORM, no settings, no clock: callers pass them in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta

PLACEHOLDERS = ("customer", "case", "complaint", "due", "text")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each `{name}` that `values` knows; an unknown one stays as written, so a template edited with a
    typo still sends readable text rather than failing."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def choose_channel(preferred: str | None, *, email: str, phone: str) -> str | None:
    """The channel the customer asked for if its address is on file, else e-mail, else text; None if neither.
    A phone call preference is met by a text message (this app does not call)."""
    if preferred == "email" and email:
        return "email"
    if preferred in ("sms", "phone") and phone:
        return "sms"
    if email:
        return "email"
    if phone:
        return "sms"
    return None


def retry_delay(attempts: int, *, base_seconds: int) -> timedelta:
    """After the n-th failed try, wait base·2ⁿ⁻¹ (capped at a day): a gateway that is down for minutes is not
    hammered, one down for hours is still tried daily."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), 86400))


def gives_up(attempts: int, *, max_attempts: int) -> bool:
    return attempts >= max_attempts


_SMS_SEGMENT = 70  # characters of one Chinese (UCS-2) text message


def sms_segments(text: str) -> int:
    return max(1, -(-len(text) // _SMS_SEGMENT))
