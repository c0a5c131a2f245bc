"""Work on the queue as a whole: saved views, "take it", and reassigning many cases at once.

A bulk reassignment is one transaction; each case goes through `case_assign` (scope, lock, 回避, audit,
timeline), and a case the new owner may not have (they are complained about in it) is left as it was and
reported, not silently skipped nor allowed to fail the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.access import ASSIGNS_CASES, OWNS_CASES, require
from amends.accounts.models import User
from amends.core import audit, clock
from amends.core.errors import InvalidInput, NotFound, RuleViolation

from ..models import Case, QueueView, TimelineKind
from .cases import case_assign
from .common import CASE_AUDIT_FIELDS, locked_case, save_case, timeline_add

MAX_BULK = 200


@dataclass
class BulkResult:
    done: list[Case] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (case id, why)


@transaction.atomic
def case_bulk_assign(*, actor: User, case_ids: list[int], owner: User | None) -> BulkResult:
    """Give every case in `case_ids` to `owner` (None: let the assignment rules choose for each)."""
    require(actor, ASSIGNS_CASES)
    if not case_ids:
        raise InvalidInput(_("Choose at least one case."), fields={"cases": [_("Choose at least one case.")]})
    if len(case_ids) > MAX_BULK:
        raise InvalidInput(
            _("At most %(n)d cases at a time.") % {"n": MAX_BULK}, fields={"cases": [_("Too many cases.")]}
        )
    result = BulkResult()
    for case_id in sorted(set(case_ids)):  # one lock order for every bulk action: no deadlock between two
        try:
            with transaction.atomic():
                result.done.append(case_assign(actor=actor, case_id=case_id, owner=owner))
        except (RuleViolation, NotFound) as exc:
            result.refused.append((case_id, exc.detail))
    return result


@transaction.atomic
def case_take(*, actor: User, case_id: int) -> Case:
    """The actor takes a case nobody owns. Two people taking it at once: the row lock lets one win; the other
    is told who has it."""
    require(actor, OWNS_CASES)
    case = locked_case(actor, case_id)
    if case.owner_id == actor.pk:
        return case
    if case.owner_id is not None:
        raise RuleViolation(
            _("%(name)s already has this case.") % {"name": case.owner}, code="case_taken", fields={"owner": []}
        )
    if case.subjects.filter(pk=actor.pk).exists():
        raise RuleViolation(
            _("%(name)s is the subject of this complaint and may not handle it (回避).") % {"name": actor},
            code="owner_is_subject",
        )
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    case.owner_id = actor.pk
    save_case(case, before, actor=actor, action="case.take", fields=["owner"])
    timeline_add(case, TimelineKind.ASSIGNED, actor=actor, data={"owner": actor.pk, "auto": False, "took": True})
    return case


@transaction.atomic
def queue_view_save(*, actor: User, name: str, query: str, shared: bool = False) -> QueueView:
    """Save the queue's filters under a name (the same name again replaces them); only supervisors share."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the view a name."), fields={"name": [_("This field is required.")]})
    if shared:
        require(actor, ASSIGNS_CASES)
    view = QueueView.objects.select_for_update().filter(owner=actor, name=name[:60]).first()
    before = audit.snapshot(view, ["query", "shared"]) if view else None
    if view is None:
        view = QueueView(owner=actor, name=name[:60], created_at=clock.now())
    view.query, view.shared = query[:1000], shared
    view.save()
    audit.record(
        audit.entry(
            actor=actor,
            action="queue_view.save",
            obj=view,
            before=before,
            after=audit.snapshot(view, ["query", "shared"]),
        )
    )
    return view


@transaction.atomic
def queue_view_delete(*, actor: User, view_id: int) -> None:
    view = QueueView.objects.select_for_update().filter(pk=view_id, owner=actor).first()
    if view is None:
        raise NotFound(_("No such view."))
    audit.record(audit.entry(actor=actor, action="queue_view.delete", obj=view, before={"name": view.name}))
    view.delete()
