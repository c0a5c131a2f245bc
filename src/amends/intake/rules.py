"""Pure decisions of intake: the regulatory clock.

The clock (银行业保险业消费投诉处理管理办法, 2020): decide within `base_days` calendar days of receipt; a
complex complaint may be extended to `extended_days` with a reason; an especially complex one by a
further `further_days` with approval. Days are configuration so another jurisdiction's limits fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ClockConfig:
    base_days: int = 15
    extended_days: int = 30
    further_days: int = 30


def due_at(received_at: datetime, extension_level: int, config: ClockConfig) -> datetime:
    if extension_level not in (0, 1, 2):
        raise ValueError("extension level is 0, 1 or 2")
    days = config.base_days
    if extension_level >= 1:
        days = config.extended_days
    if extension_level == 2:
        days += config.further_days
    return received_at + timedelta(days=days)


def extension_refusal(*, current_level: int, requested_level: int, decided: bool, reason: str) -> str | None:
    """Why an extension cannot be requested, or None. Levels must be taken in order, once each."""
    if decided:
        return "complaint_already_decided"
    if not reason.strip():
        return "extension_needs_reason"
    if requested_level != current_level + 1 or requested_level > 2:
        return "extension_out_of_order"
    return None
