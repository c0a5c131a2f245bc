"""Playbooks (补救预案) and recovery cases opened from alerts.

`playbook_save` lets a quality manager write or change a touchpoint's prepared recovery plan (versioned:
an edit made against an older version is refused, never silently overwritten). `alert_open_case` turns an
alert into a service failure with its case, the touchpoint's playbook written on the case's timeline as the
plan to follow; a rule configured with `opens_case` does the same by itself (`case_from_alert`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.access import WORKS_CASES, require
from amends.accounts.models import Role, User
from amends.core import audit, clock
from amends.core.errors import InvalidInput, NotFound
from amends.core.versioned import check_version, save_versioned
from amends.journeys.models import Touchpoint
from amends.recovery import services as recovery
from amends.recovery.models import Case, Cause, FailureSource, TimelineKind
from amends.recovery.rules import Episode

from ..models import Alert, AlertStatus, Playbook, RuleConfig
from .alerts import AUDIT_FIELDS, access_alert

EDITS_PLAYBOOKS = {Role.QUALITY_MANAGER, Role.ADMIN}
PLAYBOOK_FIELDS = ["apology", "fix_actions", "atonement", "atonement_limit", "follow_up_days", "version"]
REQUIRED = _("This field is required.")


@transaction.atomic
def playbook_save(
    *,
    actor: User,
    touchpoint: str,
    apology: str,
    fix_actions: str,
    atonement: str,
    atonement_limit: Decimal | None,
    follow_up_days: int,
    version: int | None,
) -> Playbook:
    """Write a touchpoint's playbook, or change it if `version` is the one the editor saw."""
    require(actor, EDITS_PLAYBOOKS)
    tp = Touchpoint.objects.filter(code=touchpoint).first()
    if tp is None:
        raise NotFound(_("Unknown touchpoint “%(value)s”.") % {"value": touchpoint})
    errors: dict[str, list[str]] = {}
    if not apology.strip():
        errors["apology"] = [REQUIRED]
    if not fix_actions.strip():
        errors["fix_actions"] = [REQUIRED]
    if atonement_limit is not None and atonement_limit < 0:
        errors["atonement_limit"] = [_("Enter an amount, e.g. 300.00.")]
    if not 0 <= follow_up_days <= 90:
        errors["follow_up_days"] = [_("Between 0 and 90 days.")]
    if errors:
        raise InvalidInput(_("The playbook was not saved: please correct the marked fields."), fields=errors)
    playbook = Playbook.objects.select_for_update().filter(touchpoint=tp).first()
    now = clock.now()
    values = {
        "apology": apology.strip(),
        "fix_actions": fix_actions.strip(),
        "atonement": atonement.strip(),
        "atonement_limit": atonement_limit,
        "follow_up_days": follow_up_days,
        "updated_at": now,
        "updated_by": actor,
    }
    if playbook is None:
        playbook = Playbook.objects.create(touchpoint=tp, **values)
        audit.record(
            audit.entry(
                actor=actor, action="playbook.save", obj=playbook, after=audit.snapshot(playbook, PLAYBOOK_FIELDS)
            )
        )
        return playbook
    check_version(playbook, version, detail=_("Someone else changed this playbook meanwhile. Reload it and try again."))
    before = audit.snapshot(playbook, PLAYBOOK_FIELDS)
    for name, value in values.items():
        setattr(playbook, name, value)
    save_versioned(playbook, before=before, actor=actor, action="playbook.save", fields=values, tracked=PLAYBOOK_FIELDS)
    return playbook


def playbook_text(playbook: Playbook, opened_at: datetime) -> str:
    """The plan as it stands on the case's timeline: the wording to use, what to fix, what to offer, when
    to follow up."""
    follow_up = timezone.localtime(opened_at + timedelta(days=playbook.follow_up_days))
    lines = [_("Playbook for this touchpoint:"), _("Apology: %(text)s") % {"text": playbook.apology}]
    lines += [_("Fix: %(text)s") % {"text": action} for action in playbook.fix_action_list]
    if playbook.atonement:
        limit = f" (≤ ¥{playbook.atonement_limit})" if playbook.atonement_limit is not None else ""
        lines.append(_("Atonement: %(text)s") % {"text": playbook.atonement + limit})
    lines.append(_("Follow up by %(date)s.") % {"date": f"{follow_up:%Y-%m-%d}"})
    return "\n".join(lines)


def case_from_alert(alert: Alert, *, actor: User | None, at: datetime) -> Case | None:
    """Record the alert's failure and open or join the customer's case, the playbook on its timeline; None
    when the failure was already recorded. Inside the caller's transaction, with the alert row locked."""
    if alert.customer is None:
        raise InvalidInput(
            _("This alert names no customer we know: open a case from the customer's page instead."),
            fields={"customer": [_("Not known.")]},
        )
    config = RuleConfig.objects.filter(key=alert.rule).first()
    touchpoint = alert.touchpoint
    detail = alert.detail or {}
    episode = Episode.of(
        claim_no=str(detail.get("claim_no", "")),
        policy_no=str(detail.get("policy_no", "")),
        journey=touchpoint.journey.code if touchpoint else None,
    )
    params = config.params if config else {}
    from ..rules import registry

    rule = registry().get(config.rule) if config else None
    failure = recovery.failure_record(
        actor=actor,
        customer=alert.customer,
        touchpoint=touchpoint,
        episode=episode,
        source=FailureSource.WARNING,
        source_ref=f"alert:{alert.pk}",
        description=alert.shown_title,
        at=at,
        dimension=str(params.get("dimension", getattr(rule, "dimension", ""))),
        gap=params.get("gap", getattr(rule, "gap", None)),
        cause=Cause.COMPANY,
    )
    if failure is None:
        return None
    playbook = Playbook.objects.filter(touchpoint=touchpoint).first() if touchpoint else None
    if playbook is not None:
        recovery.timeline_add(
            failure.case,
            TimelineKind.NOTE,
            actor=actor,
            text=playbook_text(playbook, at),
            at=at,
            data={"playbook": touchpoint.code if touchpoint else "", "version": playbook.version},
        )
    with audit.changing(alert, actor=actor, action="alert.link_case", tracked=AUDIT_FIELDS, update_fields=["case"]):
        alert.case = failure.case
    return failure.case


@transaction.atomic
def alert_open_case(*, actor: User, alert_id: int) -> Case:
    """ "Open a recovery case" from the inbox: the failure, the case (or the customer's open one on the same
    episode) and the playbook; the alert is acknowledged. Opening twice gives the same case."""
    require(actor, WORKS_CASES)
    alert = access_alert(actor, alert_id)
    if alert.case_id is not None:
        return Case.objects.get(pk=alert.case_id)
    if alert.status == AlertStatus.RESOLVED:
        raise InvalidInput(_("This alert is already resolved."), fields={})
    now = clock.now()
    case = case_from_alert(alert, actor=actor, at=now)
    if case is None:  # recorded meanwhile by the rule itself
        alert.refresh_from_db()
        if alert.case_id is None:
            raise NotFound(_("No such case."))
        return Case.objects.get(pk=alert.case_id)
    if alert.status == AlertStatus.OPEN:
        with audit.changing(
            alert,
            actor=actor,
            action="alert.acknowledge",
            tracked=AUDIT_FIELDS,
            update_fields=["status", "acknowledged_at", "acknowledged_by"],
        ):
            alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, now, actor
    return case
