"""Raising, acknowledging and resolving alerts. Raising is idempotent: while an alert for the same rule and
subject is not resolved, raising it again returns that one (the database's partial unique constraint
decides when two raise at once)."""

from __future__ import annotations

from typing import Any, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amends.accounts.access import in_scope
from amends.accounts.models import User
from amends.core import audit, batch, clock, texts
from amends.core.errors import InvalidInput, NotFound, RuleViolation

from ..models import Alert, AlertStatus

AUDIT_FIELDS = ["status", "owner", "severity", "case"]


class AlertFields(TypedDict, total=False):
    """What a raise may say beside the rule, the subject, the title and the unit (defaults in `_unsaved`)."""

    owner: User | None
    severity: int
    customer_id: int | None
    case_id: int | None
    detail: dict | None
    owner_role: str
    touchpoint_id: int | None


def _unsaved(
    *, rule: str, subject_type: str, subject_id: Any, title: str, org_unit_id: int, **more: Unpack[AlertFields]
) -> Alert:
    """An alert as every raise builds it: the title cut to the column and kept as a message for the reader's
    language, raised now."""
    return Alert(
        rule=rule,
        subject_type=subject_type,
        subject_id=str(subject_id),
        title=title[:300],
        title_text=texts.stored(title),
        org_unit_id=org_unit_id,
        owner=more.get("owner"),
        severity=more.get("severity", 2),
        customer_id=more.get("customer_id"),
        case_id=more.get("case_id"),
        detail=more.get("detail") or {},
        owner_role=more.get("owner_role", ""),
        touchpoint_id=more.get("touchpoint_id"),
        raised_at=clock.now(),
    )


def _raised(*alerts: Alert) -> None:
    audit.record(
        *(audit.entry(actor=None, action="alert.raise", obj=a, after=audit.snapshot(a, AUDIT_FIELDS)) for a in alerts)
    )


def alert_raise(
    *, rule: str, subject_type: str, subject_id: Any, title: str, org_unit_id: int, **more: Unpack[AlertFields]
) -> tuple[Alert, bool]:
    """The live alert for this rule and subject, created now if there is none; returns (alert, created)."""
    live = Alert.objects.exclude(status=AlertStatus.RESOLVED)
    existing = live.filter(rule=rule, subject_type=subject_type, subject_id=str(subject_id)).first()
    if existing is not None:
        return existing, False
    alert = _unsaved(
        rule=rule, subject_type=subject_type, subject_id=subject_id, title=title, org_unit_id=org_unit_id, **more
    )
    try:
        with transaction.atomic():
            alert.save(force_insert=True)
            _raised(alert)
    except IntegrityError:
        return live.get(rule=rule, subject_type=subject_type, subject_id=str(subject_id)), False
    return alert, True


def alert_raise_new(
    *, rule: str, subject_type: str, subject_id: Any, title: str, org_unit_id: int, **more: Unpack[AlertFields]
) -> Alert:
    """Raise the alert of a subject created in this same transaction (a complaint just received): no alert can
    be live for it yet, so there is nothing to look up and no race to lose, and the row goes out with the use
    case's other writes (core.batch)."""
    alert = _unsaved(
        rule=rule, subject_type=subject_type, subject_id=subject_id, title=title, org_unit_id=org_unit_id, **more
    )
    batch.create(alert)
    _raised(alert)
    return alert


@transaction.atomic
def alerts_raise(new: list[Alert]) -> list[Alert]:
    """Save these unsaved alerts (at most one per rule and subject, none live yet) in one INSERT, each with its
    audit row; answers those saved. When a concurrent raise got to one of them first, the partial unique
    constraint refuses the INSERT, and they are saved one by one instead, skipping the ones now live."""
    if not new:
        return []
    try:
        with transaction.atomic():
            Alert.objects.bulk_create(new)
        saved = new
    except IntegrityError:
        saved = []
        for alert in new:
            alert.pk = None
            try:
                with transaction.atomic():
                    alert.save(force_insert=True)
            except IntegrityError:
                continue
            saved.append(alert)
    with batch.collect():
        _raised(*saved)
    return saved


@transaction.atomic
def alert_escalate(*, alert_id: int, severity: int, title: str, detail: dict | None = None) -> Alert:
    """A live alert whose condition got worse (an imminent breach that became one): higher severity, new title."""
    alert = Alert.objects.select_for_update().get(pk=alert_id)
    if alert.status == AlertStatus.RESOLVED or alert.severity >= severity:
        return alert
    with audit.changing(
        alert,
        actor=None,
        action="alert.escalate",
        tracked=AUDIT_FIELDS,
        update_fields=["severity", "title", "title_text", "detail"],
    ):
        alert.severity = severity
        alert.titled(title)
        if detail is not None:
            alert.detail = detail
    return alert


@transaction.atomic
def alert_link_case(*, alert_id: int, case_id: int) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert_id)
    with audit.changing(alert, actor=None, action="alert.link_case", tracked=["case"], update_fields=["case"]):
        alert.case_id = case_id
    return alert


def access_alert(actor: User, alert_id: int) -> Alert:
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None or not (alert.owner_id == actor.pk or in_scope(actor, alert.org_unit_id)):
        raise NotFound(_("No such alert."))
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: User, alert_id: int) -> Alert:
    alert = access_alert(actor, alert_id)
    if alert.status != AlertStatus.OPEN:
        raise RuleViolation(_("Only an open alert can be acknowledged."), code="alert_not_open")
    with audit.changing(
        alert,
        actor=actor,
        action="alert.acknowledge",
        tracked=AUDIT_FIELDS,
        update_fields=["status", "acknowledged_at", "acknowledged_by"],
    ):
        alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, clock.now(), actor
    return alert


@transaction.atomic
def alert_resolve(*, actor: User | None, alert_id: int, resolution: str = "") -> Alert:
    """Resolve by hand (actor) or by the system when its subject is settled (actor None, scope not checked)."""
    alert = access_alert(actor, alert_id) if actor is not None else Alert.objects.select_for_update().get(pk=alert_id)
    if alert.status == AlertStatus.RESOLVED:
        raise RuleViolation(_("This alert is already resolved."), code="alert_resolved")
    with audit.changing(
        alert,
        actor=actor,
        action="alert.resolve",
        tracked=AUDIT_FIELDS,
        update_fields=["status", "resolved_at", "resolved_by", "resolution"],
    ):
        alert.status, alert.resolved_at, alert.resolved_by = AlertStatus.RESOLVED, clock.now(), actor
        alert.resolution = resolution.strip()
    return alert


MAX_BULK = 200


@transaction.atomic
def alerts_bulk(*, actor: User, alert_ids: list[int], action: str, resolution: str = "") -> tuple[int, list[str]]:
    """Acknowledge or resolve many alerts in one transaction, each through the one-alert service (scope, lock,
    audit). Returns how many changed and why the others did not (already resolved, not open…)."""
    if action not in ("acknowledge", "resolve"):
        raise InvalidInput(_("Choose acknowledge or resolve."), fields={"action": [_("Choose an action.")]})
    if not alert_ids or len(alert_ids) > MAX_BULK:
        raise InvalidInput(
            _("Tick between 1 and %(n)d alerts.") % {"n": MAX_BULK}, fields={"alerts": [_("Tick some alerts.")]}
        )
    done, refused = 0, []
    for alert_id in sorted(set(alert_ids)):  # one lock order: two bulk actions never deadlock
        try:
            with transaction.atomic():
                if action == "acknowledge":
                    alert_acknowledge(actor=actor, alert_id=alert_id)
                else:
                    alert_resolve(actor=actor, alert_id=alert_id, resolution=resolution)
            done += 1
        except (RuleViolation, NotFound) as exc:
            refused.append(f"#{alert_id}: {exc.detail}")
    return done, refused


def alerts_resolve_for(*, subject_type: str, subject_id: Any, resolution: str) -> int:
    """Resolve every live alert about a subject that no longer needs attention (e.g. a promise settled)."""
    ids = list(
        Alert.objects.exclude(status=AlertStatus.RESOLVED)
        .filter(subject_type=subject_type, subject_id=str(subject_id))
        .values_list("pk", flat=True)
    )
    for pk in ids:
        alert_resolve(actor=None, alert_id=pk, resolution=resolution)
    return len(ids)
