"""Typed reads of environment variables for `amends.settings`: an unset variable gives the default, a set one
is parsed, and a malformed one stops the start with one sentence naming the variable and what it should be.

Plain Python, importable before Django is set up: it must not import an app or read Django's settings. The
messages are English because they are raised while settings load, before any translation can be.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")
N = TypeVar("N", int, float)
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _refused(name: str, raw: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name} must be {expected}, not {raw!r}")


def _number(name: str, default: N, parse: Callable[[str], N], expected: str, minimum: N | None) -> N:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = parse(raw)
    except ValueError:
        raise _refused(name, raw, expected) from None
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        raise _refused(name, raw, expected if minimum is None else f"{expected} of at least {minimum}")
    return value


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    return _number(name, default, int, "a whole number", minimum)


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    return _number(name, float(default), float, "a number", minimum)


def env_bool(name: str, default: bool = False) -> bool:
    """`1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off` (any case); set but empty is false."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() not in TRUE | FALSE:
        raise _refused(name, raw, "1 or 0 (or true/false, yes/no, on/off)")
    return raw.strip().lower() in TRUE


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_choice(name: str, default: str, choices: set[str]) -> str:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip() not in choices:
        raise _refused(name, raw, "one of " + ", ".join(sorted(choices)))
    return raw.strip()


def env_list(name: str, item: Callable[[str], T], *, default: str = "", expected: str = "items") -> list[T]:
    """A comma-separated list, each item stripped and read by `item` (which raises ValueError when it is not
    one); blank items are dropped, so a trailing comma is harmless."""
    raw = os.environ.get(name, default)
    try:
        return [item(part.strip()) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise _refused(name, raw, f"a comma-separated list of {expected}") from None
