"""Assigning a case, keeping its deadline, and merging one case into another.

Which case a complaint opens or joins is `.opening`'s; its priority, `.priority`'s. Decisions come from
`recovery.rules`; the shared row handling from `.common`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from amends.accounts.access import ASSIGNS_CASES, OWNS_CASES, in_scope, require
from amends.accounts.models import User
from amends.core import audit
from amends.core.errors import InvalidInput, RuleViolation

from ..models import Case, CaseStatus, Closure, TimelineKind
from .common import CASE_AUDIT_FIELDS, check_version, locked_case, save_case, timeline_add
from .owners import pick_owner
from .priority import PRIORITY_FIELDS, repeats_of, reprioritise, stored_severity

# What apps above recovery hang on a case (promises, alerts, discretion requests), moved with it when it is merged
# into another, each with the audit action of the move: named by `assembly.wiring`.
ABSORBED: list[tuple[type[Model], str]] = []


def absorb_rows_of(model: type[Model], *, action: str) -> None:
    """Rows of `model` (with a `case` foreign key) follow a merged case to the case it joins."""
    if all(m is not model for m, _a in ABSORBED):
        ABSORBED.append((model, action))


def _rows_move(model: type[Model], *, other: Case, into: Case, actor: User, action: str) -> int:
    """The rows of `model` on `other` now on `into`, each with its audit entry."""
    pks = list(model._default_manager.filter(case=other).values_list("pk", flat=True))
    model._default_manager.filter(pk__in=pks).update(case=into)
    audit.record(
        *(
            audit.entry(
                actor=actor, action=action, obj=model(pk=pk), before={"case": other.pk}, after={"case": into.pk}
            )
            for pk in pks
        )
    )
    return len(pks)


def case_absorb(*, actor: User, into: Case, other: Case, at: datetime) -> None:
    """Close `other` as merged into `into`, whose priority keeps the worse of both (largest loss, every
    escalation flag, most repeats, the most urgent early warning). Both rows are locked by the caller, which moves
    the complaints and failures; the rows of the apps above named in `ABSORBED` follow."""
    theirs = stored_severity(other)
    before = audit.snapshot(into, CASE_AUDIT_FIELDS)
    reprioritise(
        into,
        repeats=max(repeats_of(into), repeats_of(other)),
        loss_amount=theirs.loss_amount if theirs else None,
        escalation_flags=theirs.escalation_flags if theirs else (),
        raised=(theirs.raised_to, theirs.raised_reason) if theirs and theirs.raised_to else None,
    )
    save_case(into, before, actor=actor, action="case.merge", fields=PRIORITY_FIELDS)
    timeline_add(into, TimelineKind.MERGED, actor=actor, at=at, data={"from": other.pk, "reference": other.reference})
    before = audit.snapshot(other, CASE_AUDIT_FIELDS)
    other.status, other.closure, other.closed_at, other.due_at = CaseStatus.CLOSED, Closure.MERGED, at, None
    save_case(other, before, actor=actor, action="case.merged", fields=["status", "closure", "closed_at", "due_at"])
    timeline_add(other, TimelineKind.MERGED, actor=actor, at=at, data={"into": into.pk, "reference": into.reference})
    for model, action in ABSORBED:
        _rows_move(model, other=other, into=into, actor=actor, action=action)


@transaction.atomic
def case_assign(*, actor: User, case_id: int, owner: User | None, version: int | None = None) -> Case:
    """Give the case to `owner`, or let the assignment rules choose when `owner` is None."""
    require(actor, ASSIGNS_CASES)
    case = locked_case(actor, case_id)
    check_version(case, version)
    subjects = set(case.subjects.values_list("pk", flat=True))
    if owner is None:
        picked = pick_owner(case, subjects)
        owner_id = picked.pk if picked is not None else None
    else:
        # Someone the actor cannot see is answered like an unknown user: the error tells nothing of other branches.
        if owner.org_unit_id is not None and not in_scope(actor, owner.org_unit_id):
            raise InvalidInput(_("No such user."), fields={"owner": [_("No such user.")]})
        if not in_scope(owner, case.org_unit_id):
            # An owner who cannot open the case would hold it unseen while its clock runs.
            raise InvalidInput(
                _("%(name)s works outside this case's branch and could not open it.") % {"name": owner},
                fields={"owner": [_("Outside the case's branch.")]},
            )
        if owner.role not in OWNS_CASES or not owner.is_active:
            raise InvalidInput(
                _("Only an active handler or supervisor can own a case."),
                fields={"owner": [_("Not eligible.")]},
            )
        if owner.pk in subjects:
            raise RuleViolation(
                _("%(name)s is the subject of this complaint and may not handle it (回避).") % {"name": owner},
                code="owner_is_subject",
                fields={"owner": [_("Subject of the complaint.")]},
            )
        owner_id = owner.pk
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.owner_id = owner_id
    save_case(case, before, actor=actor, action="case.assign", fields=["owner"])
    timeline_add(case, TimelineKind.ASSIGNED, actor=actor, data={"owner": owner_id, "auto": owner is None})
    return case


def case_clock_update(*, actor: User, case: Case, due_at: datetime | None) -> None:
    """Store the earliest deadline among the case's undecided complaints (None when all are decided)."""
    if case.due_at == due_at:
        return
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.due_at = due_at
    save_case(case, before, actor=actor, action="case.clock", fields=["due_at"])
