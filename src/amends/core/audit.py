"""Writing the audit log from services: one call per state change, inside the service's transaction.

`snapshot()` turns a model's chosen fields into JSON-safe values for the before/after columns. Entries
are only ever inserted (batched per use case by `core.batch`); see `amends.audit.models` for why they stay put.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from amends.audit.models import AuditEntry

from . import batch, clock


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = plain(getattr(obj, attname))
    return out


def entry(
    *, actor: Any, action: str, obj: models.Model, before: dict | None = None, after: dict | None = None
) -> AuditEntry:
    return AuditEntry(
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )


def record(*entries: AuditEntry) -> None:
    """Insert now, or with the rest of the use case's rows inside `batch.collect()`."""
    batch.add(*entries)


@contextlib.contextmanager
def changing(
    obj: models.Model, *, actor: Any, action: str, tracked: list[str], update_fields: list[str]
) -> Iterator[None]:
    """Change `obj` inside the block; on leaving it the row is saved (only `update_fields`) and audited with
    the tracked fields before and after."""
    before = snapshot(obj, tracked)
    yield
    obj.save(update_fields=update_fields)
    record(entry(actor=actor, action=action, obj=obj, before=before, after=snapshot(obj, tracked)))
