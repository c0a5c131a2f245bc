"""What a follow-up answer (survey or call) does to the case it follows up.

Recovered → the follow-up step is recorded and the case closes. Not recovered (not solved, or satisfaction
2 or less) → a second failure on the case (a double deviation, 二次偏离), the case reopens in a new round
and an alert goes to its owner. Recovery's own services do the writing; this decides which to call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from amends.accounts.models import User
from amends.core import clock, texts
from amends.core.errors import RuleViolation
from amends.recovery import services as recovery
from amends.recovery.models import (
    Case,
    CaseStatus,
    Closure,
    Dimension,
    Failure,
    FollowUpOutcome,
    Step,
    TimelineKind,
)
from amends.recovery.rules import Episode
from amends.warning import services as warning
from amends.warning.models import Severity

from .. import rules


def summary(answer: Mapping[str, Any]) -> str:
    """The answer in one line for the case timeline (staff language)."""
    parts = [
        _("solved: %(v)s") % {"v": _("yes") if answer.get("solved") else _("no")},
        _("satisfaction %(v)s/5") % {"v": answer.get("satisfaction")},
    ]
    labels = {d.value: d.label for d in Dimension}
    scored = [f"{labels[name]} {answer[name]}/5" for name in rules.DIMENSIONS if answer.get(name) is not None]
    if scored:
        parts.append(", ".join(scored))
    if answer.get("renew") is not None:
        parts.append(_("renew %(v)s/10") % {"v": answer["renew"]})
    if answer.get("recommend") is not None:
        parts.append(_("recommend %(v)s/10") % {"v": answer["recommend"]})
    text = "; ".join(parts)
    comment = (answer.get("comment") or "").strip()
    return f"{text}\n{comment}" if comment else text


def apply_to_case(
    *,
    actor: User,
    case_id: int,
    round: int,
    answer: Mapping[str, Any],
    source: str,
    source_ref: str,
    heard: str | Promise,
) -> Failure | None:
    """Apply the answer to its case if the case still waits for this round's follow-up; returns the second
    failure when the customer is not recovered, or the gap-4 failure when staff had closed the round as
    recovered and the customer says it is not. `heard` says how the answer came (for the timeline)."""
    case = Case.objects.select_related("customer", "touchpoint").get(pk=case_id)
    if case.status != CaseStatus.FOLLOW_UP or case.round != round:
        if case.closure == Closure.RECOVERED and case.round == round and not rules.recovered(answer):
            # Staff closed this round as recovered; the customer says it is not: gap 4, recorded on the case.
            return recovery.perception_gap_record(
                actor=actor,
                case=case,
                source=source,
                source_ref=source_ref,
                description=f"{heard}: {summary(answer)}",
                at=clock.now(),
                dimension=rules.weakest_dimension(answer),
            )
        recovery.timeline_add(case, TimelineKind.NOTE, actor=actor, text=f"{heard}: {summary(answer)}")
        return None
    # The survey's answer is summed up in the writer's language; how it was heard reads in the reader's.
    note = texts.Message(gettext_noop("%(heard)s: %(outcome)s"), heard=heard, outcome=summary(answer))
    if rules.recovered(answer):
        _follow_up(actor, case, FollowUpOutcome.RECOVERED, note)
        return None
    failure = recovery.failure_record(
        actor=actor,
        customer=case.customer,
        touchpoint=case.touchpoint,
        episode=Episode.from_key(case.episode_key),
        source=source,
        source_ref=source_ref,
        description=note,
        at=clock.now(),
        dimension=rules.weakest_dimension(answer),
    )
    # The answer itself stands once, on the failure; the reopening only says where it came from.
    said = texts.Message(gettext_noop("%(heard)s: %(outcome)s"), heard=heard, outcome=gettext_lazy("not recovered"))
    _follow_up(actor, case, FollowUpOutcome.NOT_RECOVERED, said)
    warning.alert_raise(
        rule="follow_up_not_recovered",
        subject_type="case",
        subject_id=case.pk,
        title=texts.Message(
            gettext_noop("%(case)s: the customer is not recovered (a second failure)"), case=case.reference
        ),
        org_unit_id=case.org_unit_id,
        owner=case.owner,
        severity=Severity.CRITICAL,
        customer_id=case.customer_id,
        case_id=case.pk,
        detail={"source": source, "ref": source_ref},
    )
    return failure


def _follow_up(actor: User, case: Case, outcome: str, note: str) -> None:
    try:
        recovery.step_record(actor=actor, case_id=case.pk, step=Step.FOLLOW_UP, note=note, outcome=outcome)
    except RuleViolation as exc:
        if exc.code != "complaint_undecided":
            raise
        # A new complaint joined the case since the survey went out: its decision comes first, so the answer
        # stays on the timeline for the handler instead of closing or reopening the case behind their back.
        recovery.timeline_add(case, TimelineKind.NOTE, actor=actor, text=note)
