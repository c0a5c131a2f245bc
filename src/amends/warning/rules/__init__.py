"""Early-warning rules (预警规则): one small class per kind of signal, configured by `RuleConfig` rows.

A rule runs on ingest (over a batch's new events, one query per batch) or on the worker's schedule (one
query per sweep), and answers `Signal`s; `runner` turns signals into alerts, and into a failure with its
case where the configuration says so. A rule never writes. Apps above `warning` register their own classes
(`register`) from `AppConfig.ready()`; promises does for its due/overdue rules. The shipped rules are the
modules of this package; their configuration rows are seeded by a data migration (`defaults.json`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from ..models import RuleConfig
from ..validation import Row


@dataclass(frozen=True)
class Signal:
    """Something a rule noticed about one subject: what the alert will say and whom it concerns."""

    subject_type: str
    subject_id: str
    title: str
    severity: int | None = None  # None: the configuration's severity
    customer_ref: str = ""  # resolved to the customer by the runner, one query for the whole run
    customer_id: int | None = None
    case_id: int | None = None
    touchpoint: str = ""  # a touchpoint code; default: the configuration's first
    org_unit_id: int | None = None  # default: the customer's unit, else the head office
    detail: dict[str, Any] = field(default_factory=dict)
    raise_priority: bool = False  # the customer's open case goes up to high priority (repeat failure)
    is_failure: bool = True  # False for a warning of what has not happened yet: no failure, no case


class Rule:
    """One kind of rule. `on_ingest` sees the batch's new events; `sweep` looks at the database at `now`.

    `clears`: a sweep states the whole current condition, so a live alert whose subject it no longer names
    is resolved by the runner (a complaint decided, a policy renewed). `scheduled_by`: the task that runs it
    when that is not the warning sweep (promises run their own)."""

    code: ClassVar[str]
    on_events: ClassVar[bool] = False
    on_schedule: ClassVar[bool] = False
    clears: ClassVar[bool] = False
    scheduled_by: ClassVar[str] = ""

    def on_ingest(self, config: RuleConfig, events: Sequence[Row], now: datetime) -> list[Signal]:
        return []

    def sweep(self, config: RuleConfig, now: datetime) -> list[Signal]:
        return []

    @staticmethod
    def param(config: RuleConfig, name: str, default: Any) -> Any:
        return config.params.get(name, default)

    @staticmethod
    def applies(config: RuleConfig, touchpoint: str) -> bool:
        return not config.touchpoints or touchpoint in config.touchpoints


_registry: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    existing = _registry.get(rule.code)
    if existing is not None and existing is not rule:
        raise RuntimeError(f"two rule classes claim {rule.code!r}")
    _registry[rule.code] = rule
    return rule


def registry() -> dict[str, type[Rule]]:
    from . import (  # noqa: F401 - importing registers the shipped rules
        complaint_deadline,
        fact_mismatch,
        high_value,
        regulator_deadline,
        repeat_contact,
        repeat_failure,
        stage_duration,
        touchpoint_spike,
    )

    return dict(_registry)


def config(key: str) -> RuleConfig | None:
    """The configuration row for `key`, or None when there is none (then callers keep their defaults)."""
    return RuleConfig.objects.filter(key=key).first()
