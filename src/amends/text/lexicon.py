"""The compiled lexicon of this process, read from `LexiconTerm` and kept until the terms change.

Compiling costs milliseconds, matching microseconds, so the compiled lexicon is cached per process. A
change made in this process (admin, service) drops it at once; other processes notice within
`AMENDS_TEXT_CHECK_SECONDS` by comparing a cheap stamp (count and latest edit), so intake does
not pay a query per complaint.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from amends.core.kept_copy import KeptCopy

from . import flag_eval, judge
from .flags import Lexicon, Term, compile_lexicon
from .models import LexiconTerm, TermKind


def _stamp() -> tuple[int, Any]:
    row = LexiconTerm.objects.filter(active=True).aggregate(n=Count("id"), at=Max("updated_at"))
    return row["n"], row["at"]


_kept: KeptCopy[Lexicon] = KeptCopy(
    _stamp, lambda _new_stamp: judged(terms()), lambda: settings.AMENDS_TEXT_CHECK_SECONDS
)


def current() -> Lexicon:
    return _kept.get()


_judges: dict[frozenset[Term], judge.JudgeModel | None] = {}


def judged(with_terms: list[Term]) -> Lexicon:
    """The compiled lexicon with its judge, trained on the labelled set's tuning part with the hits of these
    very terms (a fraction of a second, once per set of terms in this process)."""
    lexicon = compile_lexicon(with_terms)
    key = frozenset(with_terms)
    if key not in _judges:
        tune = [e for e in flag_eval.load() if e.part == "tune"]
        _judges.clear()  # one lexicon in use at a time: keep only its judge
        _judges[key] = judge.train([e.text for e in tune], [e.flags for e in tune], lexicon)
    return dataclasses.replace(lexicon, judge=_judges[key])


def terms() -> list[Term]:
    rows = LexiconTerm.objects.filter(active=True).values_list("kind", "flag", "term", "is_pattern")
    return [
        Term("negation" if kind == TermKind.NEGATION else flag, term, pattern) for kind, flag, term, pattern in rows
    ]


def invalidate() -> None:
    _kept.invalidate()
