"""What every case write shares: the locked, scoped case row, the version check, the audited save, the
timeline entry."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from amends.accounts.access import in_scope
from amends.accounts.models import User
from amends.core import batch, clock, texts, versioned
from amends.core.errors import NotFound

from ..models import (
    Case,
    TimelineEntry,
)

CASE_AUDIT_FIELDS = [
    "status",
    "owner",
    "priority",
    "priority_score",
    "round",
    "due_at",
    "timing",
    "closure",
    "version",
]


def timeline_add(
    case: Case,
    kind: str,
    *,
    actor: User | None,
    text: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
    data = dict(data or {})
    if isinstance(text, texts.Message):  # written by the system: shown in the reader's language (core.texts)
        data["text_message"] = text.stored()
    entry = TimelineEntry(
        case=case, kind=kind, actor=actor, text=str(text), data=data, round=case.round, at=at or clock.now()
    )
    batch.add(entry)
    return entry


def locked_case(actor: User, case_id: int) -> Case:
    """The case row, locked for this transaction, if the actor's org scope holds it (else it looks absent)."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not in_scope(actor, case.org_unit_id):
        raise NotFound(_("No such case."))
    return case


def check_version(case: Case, version: int | None) -> None:
    versioned.check_version(
        case,
        version,
        detail=_("Someone else changed this case (version %(theirs)s, yours %(yours)s). Reload it and try again.")
        % {"theirs": case.version, "yours": version},
    )


def save_case(case: Case, before: dict, *, actor: User | None, action: str, fields: list[str]) -> None:
    versioned.save_versioned(case, before=before, actor=actor, action=action, fields=fields, tracked=CASE_AUDIT_FIELDS)
