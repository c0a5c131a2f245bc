"""Every write of the early-warning app: alerts (`alerts`), events (`events`), rule runs (`rule_runs`),
playbooks and cases opened from alerts (`playbooks`). Imported as `amends.warning.services` by other apps."""

from .alerts import (
    AUDIT_FIELDS,
    access_alert,
    alert_acknowledge,
    alert_escalate,
    alert_link_case,
    alert_raise,
    alert_raise_new,
    alert_resolve,
    alerts_bulk,
    alerts_raise,
    alerts_resolve_for,
)
from .events import IngestResult, event_ingest
from .playbooks import alert_open_case, playbook_save

__all__ = [
    "AUDIT_FIELDS",
    "IngestResult",
    "access_alert",
    "alert_acknowledge",
    "alert_escalate",
    "alert_link_case",
    "alert_open_case",
    "alert_raise",
    "alert_raise_new",
    "alert_resolve",
    "alerts_bulk",
    "alerts_raise",
    "alerts_resolve_for",
    "event_ingest",
    "playbook_save",
]
