"""The compiled lexicon of this process, read from `LexiconTerm` and kept until the terms change.

Compiling costs milliseconds, matching microseconds, so the compiled lexicon is cached per process. A
change made in this process (admin, service) drops it at once; other processes notice within
`AMENDS_TEXT_CHECK_SECONDS` by comparing a cheap stamp (count and latest edit), so intake does
not pay a query per complaint.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from .flags import Lexicon, Term, compile_lexicon
from .models import LexiconTerm, TermKind

_lock = threading.Lock()
_state: dict[str, Any] = {"lexicon": None, "stamp": None, "checked": 0.0}


def _stamp() -> tuple[int, Any]:
    row = LexiconTerm.objects.filter(active=True).aggregate(n=Count("id"), at=Max("updated_at"))
    return row["n"], row["at"]


def current() -> Lexicon:
    with _lock:
        now = time.monotonic()
        fresh = now - _state["checked"] < settings.AMENDS_TEXT_CHECK_SECONDS
        if _state["lexicon"] is not None and fresh:
            return _state["lexicon"]
        stamp = _stamp()
        if _state["lexicon"] is None or stamp != _state["stamp"]:
            _state["lexicon"], _state["stamp"] = compile_lexicon(terms()), stamp
        _state["checked"] = now
        return _state["lexicon"]


def terms() -> list[Term]:
    rows = LexiconTerm.objects.filter(active=True).values_list("kind", "flag", "term", "is_pattern")
    return [
        Term("negation" if kind == TermKind.NEGATION else flag, term, pattern) for kind, flag, term, pattern in rows
    ]


def invalidate() -> None:
    with _lock:
        _state["lexicon"] = None
