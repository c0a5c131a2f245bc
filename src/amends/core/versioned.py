"""Rows staff change from a page they loaded (cases, promises, callbacks, playbooks, rectifications, approvals)
carry a `version`. The caller locks the row (its access helper, `select_for_update`), `check_version` refuses
a change made against an older state (409 `stale_version`, nothing written), and `save_versioned` bumps the
version, saves only the changed fields and writes the audit row, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from . import audit, batch
from .errors import Conflict


def check_version(obj: Any, version: int | None, *, detail: str = "") -> None:
    """Refuse when the page's `version` (None: the client did not send one) is not the row's."""
    if version is not None and version != obj.version:
        raise Conflict(
            detail or _("Someone else changed this meanwhile. Reload it and try again."),
            code="stale_version",
            fields={"version": [_("This has changed since you loaded it.")]},
        )


def save_versioned(
    obj: Any,  # a model with a `version` field
    *,
    before: dict[str, Any] | None,
    actor: Any,
    action: str,
    fields: Iterable[str],
    tracked: list[str],
) -> None:
    """The change is made: one more version, the changed `fields` saved, the audit row with `before` and after."""
    obj.version += 1
    batch.save(obj, [*fields, "version"])  # at once, or with the use case's other writes (core.batch)
    audit.record(audit.entry(actor=actor, action=action, obj=obj, before=before, after=audit.snapshot(obj, tracked)))
