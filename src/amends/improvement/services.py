"""Opening a rectification from a root cause and moving it along (planned → in progress → done, or cancelled).

Each write is one transaction with its audit entry; an update carries the version it was made against, so
two people never overwrite each other silently. Done sets when the change took effect (default now), which
starts the before/after comparison (`improvement.rules.windows`).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.access import in_scope, require
from amends.accounts.models import OrgUnit, User
from amends.core import audit, clock
from amends.core.errors import InvalidInput, RuleViolation
from amends.core.versioned import check_version, save_versioned
from amends.journeys.queries import touchpoint_by_code
from amends.recovery.models import Cause

from . import rules
from .access import RECTIFIES, access_rectification
from .models import Rectification, RectificationStatus

AUDIT_FIELDS = ["touchpoint", "cause", "title", "owner", "due_date", "status", "effective_at", "version"]
REQUIRED = _("This field is required.")


def _owner(actor: User, owner: str, errors: dict[str, list[str]]) -> User | None:
    found = User.objects.filter(username=owner.strip(), is_active=True).first() if owner.strip() else None
    if found is None or not in_scope(actor, found.org_unit_id):
        errors["owner"] = [_("No active staff member with this user name in your organisation.")]
        return None
    return found


@transaction.atomic
def rectification_open(
    *,
    actor: User,
    touchpoint: str,
    cause: str,
    title: str,
    action: str,
    owner: str,
    due_date: date | None,
    org_unit_id: int | None = None,
) -> Rectification:
    require(actor, RECTIFIES)
    errors: dict[str, list[str]] = {}
    tp = touchpoint_by_code(touchpoint.strip()) if touchpoint.strip() else None
    if tp is None:
        errors["touchpoint"] = [_("Unknown touchpoint.") if touchpoint.strip() else REQUIRED]
    if cause and cause not in Cause.values:
        errors["cause"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Cause.values)}]
    if not title.strip():
        errors["title"] = [REQUIRED]
    if due_date is None:
        errors["due_date"] = [REQUIRED]
    elif due_date < clock.now().date():
        errors["due_date"] = [_("The due date is in the past.")]
    person = _owner(actor, owner, errors)
    unit_id = org_unit_id or actor.org_unit_id
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit is None or not in_scope(actor, unit.pk):
        errors["org_unit"] = [_("Choose an org unit in your part of the organisation.")]
    if errors:
        raise InvalidInput(_("The rectification was not recorded: please correct the marked fields."), fields=errors)
    assert tp is not None and person is not None and unit is not None and due_date is not None
    rectification = Rectification.objects.create(
        touchpoint=tp,
        cause=cause,
        title=title.strip(),
        action=action.strip(),
        org_unit=unit,
        owner=person,
        due_date=due_date,
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record(
        audit.entry(
            actor=actor,
            action="rectification.open",
            obj=rectification,
            after=audit.snapshot(rectification, AUDIT_FIELDS),
        )
    )
    return rectification


@transaction.atomic
def rectification_update(
    *,
    actor: User,
    rectification_id: int,
    version: int | None,
    status: str = "",
    owner: str = "",
    due_date: date | None = None,
    note: str = "",
    effective_at: datetime | None = None,
) -> Rectification:
    """Move it along, hand it to someone else or move its due date; what is not given stays as it is."""
    rectification = access_rectification(actor, rectification_id, for_update=True)
    check_version(rectification, version, detail=_("Someone else changed this rectification. Reload it and try again."))
    before = audit.snapshot(rectification, AUDIT_FIELDS)
    now = clock.now()
    errors: dict[str, list[str]] = {}
    changed: list[str] = []
    if status and status != rectification.status:
        if status not in RectificationStatus.values:
            errors["status"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(RectificationStatus.values)}]
        elif not rules.may_move(rectification.status, status):
            raise RuleViolation(
                _("A rectification that is %(current)s cannot become %(target)s.")
                % {
                    "current": RectificationStatus(rectification.status).label,
                    "target": RectificationStatus(status).label,
                },
                code="rectification_status",
            )
        else:
            rectification.status = status
            changed.append("status")
            if status == RectificationStatus.DONE:
                when = effective_at or now
                if when > now:
                    errors["effective_at"] = [_("A change takes effect now or in the past.")]
                rectification.effective_at = when
                changed.append("effective_at")
    if owner:
        person = _owner(actor, owner, errors)
        if person is not None and person.pk != rectification.owner_id:
            rectification.owner = person
            changed.append("owner")
    if due_date is not None and due_date != rectification.due_date:
        rectification.due_date = due_date
        changed.append("due_date")
    if note.strip():
        rectification.outcome_note = note.strip()
        changed.append("outcome_note")
    if errors:
        raise InvalidInput(_("The rectification was not changed: please correct the marked fields."), fields=errors)
    if not changed:
        return rectification
    save_versioned(
        rectification, before=before, actor=actor, action="rectification.update", fields=changed, tracked=AUDIT_FIELDS
    )
    return rectification
