"""What the two deadline rules (the complaint's regulatory deadline, the regulator's feedback deadline) say of one
complaint: the title tells a deadline still ahead from one already past, and a past one is critical."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from amends.core.texts import Message
from amends.recovery.models import reference

from ..models import Severity
from . import Signal


def deadline_signal(
    *,
    complaint_id: int,
    received_at: datetime,
    due_at: datetime,
    now: datetime,
    past_due: str,
    due_by: str,
    values: dict[str, str] | None = None,
    detail: dict[str, Any] | None = None,
    **signal: Any,
) -> Signal:
    """`past_due` and `due_by` are message ids (gettext_noop) given `ref`, `due` and `values`; `signal` is the
    rest of the Signal (customer, case, unit, touchpoint, is_failure)."""
    overdue = due_at <= now
    local_due = timezone.localtime(due_at)
    return Signal(
        subject_type="complaint",
        subject_id=str(complaint_id),
        title=Message(
            past_due if overdue else due_by,
            ref=reference("TS", received_at, complaint_id),
            due=local_due.strftime("%Y-%m-%d %H:%M"),
            **(values or {}),
        ),
        severity=Severity.CRITICAL if overdue else None,
        detail={"complaint": complaint_id, "due_at": local_due.isoformat(), "overdue": overdue, **(detail or {})},
        **signal,
    )
