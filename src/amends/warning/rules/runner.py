"""Running the configured rules and turning their signals into alerts (and failures with cases).

A run reads the enabled configurations in one query, asks each rule for its signals, then resolves every
reference the signals carry (customers, touchpoints, live alerts) in one query each before writing. The new
alerts of a run are saved in one INSERT with their audit rows in another (`alerts_raise`); the rare
escalation of a live one goes one by one. The failures and cases of
rules configured to open them are left to the worker (one task per run, enqueued in the same transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from amends.accounts.models import OrgUnit
from amends.core import clock, texts
from amends.customers.models import Customer
from amends.journeys.models import Touchpoint
from amends.recovery import services as recovery
from amends.recovery.models import Priority

from ..models import Alert, AlertStatus, RuleConfig
from ..services import alerts
from ..validation import Row
from . import Rule, Signal, registry


def run_on_ingest(events: Sequence[Row], *, now: datetime) -> int:
    rules = registry()
    codes = [code for code, rule in rules.items() if rule.on_events]
    raised = 0
    for config in RuleConfig.objects.filter(enabled=True, rule__in=codes).order_by("key"):
        rule = rules[config.rule]()
        raised += raise_signals(config, rule, rule.on_ingest(config, events, now), now=now)
    return raised


def run_scheduled(*, now: datetime, keys: Sequence[str] | None = None) -> dict[str, int]:
    """Every enabled scheduled rule the warning sweep owns (or only `keys`); alerts raised per configuration."""
    rules = registry()
    codes = [code for code, rule in rules.items() if rule.on_schedule and not rule.scheduled_by]
    configs = RuleConfig.objects.filter(enabled=True, rule__in=codes).order_by("key")
    if keys is not None:
        configs = configs.filter(key__in=keys)
    out = {}
    for config in configs:
        rule = rules[config.rule]()
        signals = rule.sweep(config, now)
        out[config.key] = raise_signals(config, rule, signals, now=now)
        if rule.clears:
            clear_others(config, signals)
    return out


def raise_signals(config: RuleConfig, rule: Rule, signals: Sequence[Signal], *, now: datetime) -> int:
    if not signals:
        return 0
    refs = {s.customer_ref for s in signals if s.customer_ref and s.customer_id is None}
    by_ref = {c.customer_no: c for c in Customer.objects.filter(customer_no__in=refs)} if refs else {}
    ids = {s.customer_id for s in signals if s.customer_id is not None}
    by_id = {c.pk: c for c in Customer.objects.filter(pk__in=ids)} if ids else {}
    codes = {s.touchpoint for s in signals if s.touchpoint} | set(config.touchpoints[:1])
    touchpoints = {t.code: t for t in Touchpoint.objects.filter(code__in=codes).select_related("journey")}
    live = {
        (a.subject_type, a.subject_id): a
        for a in Alert.objects.exclude(status=AlertStatus.RESOLVED).filter(
            rule=config.key, subject_id__in={s.subject_id for s in signals}
        )
    }
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True).first()
    to_open: list[int] = []  # alerts whose failure and case the worker records (see tasks.open_cases_for_alerts)
    new: dict[tuple[str, str], tuple[Alert, Signal]] = {}
    raised_at = clock.now()
    for signal in signals:
        severity = signal.severity or config.severity
        key = (signal.subject_type, signal.subject_id)
        existing = live.get(key)
        if existing is not None:
            if severity > existing.severity:  # rare: a warning that came true; one by one
                with transaction.atomic():
                    alert = alerts.alert_escalate(
                        alert_id=existing.pk, severity=severity, title=signal.title, detail=signal.detail
                    )
                    if config.opens_case and signal.is_failure and alert.customer_id and alert.case_id is None:
                        to_open.append(alert.pk)  # the warning came true
            continue
        if key in new:  # the same subject twice in one run: the first signal speaks for it
            continue
        customer = by_id.get(signal.customer_id) if signal.customer_id else by_ref.get(signal.customer_ref)
        touchpoint = touchpoints.get(signal.touchpoint or (config.touchpoints[:1] or [""])[0])
        unit = signal.org_unit_id or (customer.org_unit_id if customer else None) or root
        if unit is None:  # no organisation at all yet: nobody to tell
            continue
        alert = Alert(
            rule=config.key,
            subject_type=signal.subject_type,
            subject_id=str(signal.subject_id),
            title=signal.title[:300],
            title_text=texts.stored(signal.title),
            org_unit_id=unit,
            owner_role=config.owner_role,
            severity=severity,
            customer_id=customer.pk if customer else None,
            case_id=signal.case_id,
            touchpoint_id=touchpoint.pk if touchpoint else None,
            detail={**signal.detail, "rule": config.rule},
            raised_at=raised_at,
        )
        new[key] = (alert, signal)
    # The new alerts in one INSERT (and their audit rows in another), however many the batch raised.
    with transaction.atomic():
        saved = {a.pk for a in alerts.alerts_raise([alert for alert, _signal in new.values()])}
        for alert, signal in new.values():
            if alert.pk not in saved:
                continue
            if config.opens_case and signal.is_failure and alert.customer_id is not None and alert.case_id is None:
                to_open.append(alert.pk)
            if signal.raise_priority and alert.case_id:
                recovery.case_priority_raise(case_id=alert.case_id, level=Priority.HIGH, reason=config.rule)
    if to_open:
        from ..tasks import open_cases_for_alerts

        open_cases_for_alerts.enqueue(alert_ids=to_open)
    return len(saved)


def clear_others(config: RuleConfig, signals: Sequence[Signal]) -> int:
    """Resolve the live alerts of this configuration whose condition the sweep no longer sees."""
    live = Alert.objects.exclude(status=AlertStatus.RESOLVED).filter(rule=config.key)
    current = {(s.subject_type, s.subject_id) for s in signals}
    gone = [pk for pk, t, i in live.values_list("pk", "subject_type", "subject_id") if (t, i) not in current]
    for pk in gone:
        alerts.alert_resolve(actor=None, alert_id=pk, resolution="cleared")
    return len(gone)
