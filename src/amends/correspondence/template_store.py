"""The message templates of this process, read whole and kept until one changes.

Composing a message (a receipt notice with every complaint) would otherwise read its template each time. The
templates are few and edited rarely, in the admin: an edit drops this process's copy once it commits, and
other processes notice within `AMENDS_TEMPLATE_CHECK_SECONDS` by comparing a cheap stamp (count and latest
edit), as the text lexicon does. With 0 (tests) every look-up reads the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from amends.core.kept_copy import KeptCopy

from .models import MessageTemplate


def _stamp() -> tuple[int, Any]:
    row = MessageTemplate.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return row["n"], row["at"]


def _all() -> dict[str, dict[str, MessageTemplate]]:
    by_key: dict[str, dict[str, MessageTemplate]] = {}
    for template in MessageTemplate.objects.order_by("key", "language"):
        by_key.setdefault(template.key, {})[template.language] = template
    return by_key


_kept: KeptCopy[dict[str, dict[str, MessageTemplate]]] = KeptCopy(
    _stamp, lambda _new_stamp: _all(), lambda: settings.AMENDS_TEMPLATE_CHECK_SECONDS
)


def _kept_of(key: str) -> dict[str, MessageTemplate]:
    """The templates with this key by language, as kept: never to be changed (copy first)."""
    if settings.AMENDS_TEMPLATE_CHECK_SECONDS <= 0:
        return {t.language: t for t in MessageTemplate.objects.filter(key=key)}
    return _kept.get().get(key, {})


def exists(key: str) -> bool:
    return bool(_kept_of(key))


def template_for(key: str, languages: Iterable[str]) -> MessageTemplate | None:
    """A copy of the template in the first of `languages` it is written in, else in any; None if none: one
    copy, not one per language (a receipt notice with every complaint asks)."""
    found = _kept_of(key)
    for code in languages:
        if code in found:
            return _copy(found[code])
    return _copy(next(iter(found.values()))) if found else None


def _copy(template: MessageTemplate) -> MessageTemplate:
    copy = MessageTemplate(**{f.attname: getattr(template, f.attname) for f in MessageTemplate._meta.concrete_fields})
    copy._state.adding, copy._state.db = False, template._state.db
    return copy


def invalidate() -> None:
    _kept.invalidate()
