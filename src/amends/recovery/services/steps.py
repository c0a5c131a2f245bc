"""Recording the five recovery steps (道歉 → 紧急修复 → 表示同情 → 象征性补偿 → 补救跟踪).

In order within a round; skipped only with a reason and never the apology or the follow-up; a follow-up
closes the case (recovered, or unreachable after the configured attempts) or reopens it in a new round.
Every write locks the case, checks its version and is audited (see `.common`).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.access import WORKS_CASES, require
from amends.accounts.models import User
from amends.core import audit, clock, texts
from amends.core.errors import InvalidInput, RuleViolation

from .. import rules
from ..models import (
    Case,
    CaseStatus,
    CaseStep,
    Closure,
    FollowUpOutcome,
    Step,
    TimelineEntry,
    TimelineKind,
    Timing,
)
from .common import CASE_AUDIT_FIELDS, check_version, locked_case, save_case, timeline_add

STEP_MESSAGES = {
    "unknown_step": lambda r: _("Unknown step “%(step)s”.") % {"step": r.step},
    "step_already_recorded": lambda r: (
        _("The step “%(step)s” is already recorded in this round.") % {"step": Step(r.step).label}
    ),
    "step_out_of_order": lambda r: (
        _("Steps go in order: record “%(expected)s” before “%(step)s”.")
        % {"expected": Step(r.expected).label if r.expected else "-", "step": Step(r.step).label}
    ),
    "step_cannot_be_skipped": lambda r: _("The step “%(step)s” can never be skipped.") % {"step": Step(r.step).label},
}


@transaction.atomic
def step_record(
    *,
    actor: User,
    case_id: int,
    step: str,
    note: str = "",
    skipped_reason: str | None = None,
    outcome: str | None = None,
    timing: str | None = None,
    version: int | None = None,
) -> CaseStep | None:
    """Record one of the five steps in order, or skip it with a reason (apology and follow-up: never).

    A follow-up carries an outcome: `recovered` closes the case; `unreachable` counts an attempt and
    closes after the configured number; `not_recovered` records the round's step and reopens the case in a
    new round (a second failure). Returns the step row, or None for an unreachable attempt that did not
    conclude the round.
    """
    require(actor, WORKS_CASES)
    case = locked_case(actor, case_id)
    check_version(case, version)
    if not case.is_open:
        raise RuleViolation(_("This case is closed."), code="case_closed")
    skipping = bool(skipped_reason and skipped_reason.strip())
    if skipped_reason is not None and not skipping:
        raise InvalidInput(_("Say why the step is skipped."), fields={"skipped_reason": [_("This field is required.")]})
    if timing is not None and timing not in Timing.values:
        raise InvalidInput(
            _("Unknown timing."), fields={"timing": [_("Choose immediate, in_process or after_process.")]}
        )
    done = list(case.steps.filter(round=case.round).values_list("step", flat=True))
    refusal = rules.check_step(step, done, skipping=skipping)
    if refusal is not None:
        raise RuleViolation(STEP_MESSAGES[refusal.code](refusal), code=refusal.code, fields={"step": [refusal.code]})
    if not skipping and not note.strip():
        raise InvalidInput(_("Write what was said or done."), fields={"note": [_("This field is required.")]})

    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    now = clock.now()
    changed: list[str] = []
    if timing and not case.timing:
        case.timing = timing
        changed.append("timing")
    elif not case.timing:
        case.timing = Timing.AFTER_PROCESS
        changed.append("timing")

    if step == Step.FOLLOW_UP:
        return _follow_up(case, before, actor=actor, note=note, outcome=outcome, now=now, changed=changed)
    if outcome:
        raise InvalidInput(_("Only a follow-up has an outcome."), fields={"outcome": [_("Not allowed for this step.")]})

    row = CaseStep.objects.create(
        case=case,
        round=case.round,
        step=step,
        skipped=skipping,
        skipped_reason=(skipped_reason or "").strip(),
        note=note.strip(),
        note_text=texts.stored(note),
        actor=actor,
        at=now,
    )
    new_status = CaseStatus.FOLLOW_UP if step == Step.ATONEMENT else CaseStatus.IN_PROGRESS
    if case.status != new_status:
        case.status = new_status
        changed.append("status")
    save_case(case, before, actor=actor, action=f"case.step.{step}", fields=changed)
    timeline_add(
        case,
        TimelineKind.STEP_SKIPPED if skipping else TimelineKind.STEP,
        actor=actor,
        text=row.skipped_reason if skipping else _kept(note),
        data={"step": step},
        at=now,
    )
    return row


def _kept(note: str) -> str:
    """A note for the timeline: a system's message as it is (rendered in the reader's language), else trimmed."""
    return note if isinstance(note, texts.Message) else note.strip()


def _follow_up(
    case: Case,
    before: dict,
    *,
    actor: User,
    note: str,
    outcome: str | None,
    now: datetime,
    changed: list[str],
) -> CaseStep | None:
    if outcome not in FollowUpOutcome.values:
        raise InvalidInput(
            _("A follow-up needs its outcome: recovered, not_recovered or unreachable."),
            fields={"outcome": [_("Choose recovered, not_recovered or unreachable.")]},
        )
    if case.due_at is not None:
        # The follow-up checks the outcome of a decision; before one is told, the regulatory clock is still
        # running and closing the case (recovered or unreachable) would hide it.
        raise RuleViolation(
            _("Tell the customer the decision on every complaint before following up."),
            code="complaint_undecided",
        )
    timeline_add(
        case,
        TimelineKind.FOLLOW_UP_ATTEMPT,
        actor=actor,
        text=_kept(note),
        data={"outcome": outcome},
        at=now,
    )
    attempts = list(
        TimelineEntry.objects.filter(case=case, round=case.round, kind=TimelineKind.FOLLOW_UP_ATTEMPT).values_list(
            "data__outcome", flat=True
        )
    )
    closure = rules.may_close(attempts, settings.AMENDS_FOLLOW_UP_MAX_ATTEMPTS)
    if outcome != FollowUpOutcome.NOT_RECOVERED and closure is None:
        save_case(case, before, actor=actor, action="case.follow_up_attempt", fields=changed)
        return None
    # The round's follow-up is a step row whatever it found: the recovery rate counts the rounds that were not
    # recovered too (a reopened round is a failed recovery, not a missing one).
    row = CaseStep.objects.create(
        case=case,
        round=case.round,
        step=Step.FOLLOW_UP,
        note=note.strip(),
        note_text=texts.stored(note),
        outcome=outcome,
        actor=actor,
        at=now,
    )
    if outcome == FollowUpOutcome.NOT_RECOVERED:
        case.round += 1
        case.status = CaseStatus.IN_PROGRESS
        save_case(case, before, actor=actor, action="case.reopen", fields=[*changed, "round", "status"])
        timeline_add(case, TimelineKind.REOPENED, actor=actor, text=_kept(note), at=now)
        return row
    case.status, case.closed_at = CaseStatus.CLOSED, now
    case.closure = Closure.RECOVERED if closure == "recovered" else Closure.UNREACHABLE
    save_case(case, before, actor=actor, action="case.close", fields=[*changed, "status", "closed_at", "closure"])
    timeline_add(
        case,
        TimelineKind.STEP,
        actor=actor,
        text=_kept(note),
        data={"step": Step.FOLLOW_UP, "outcome": outcome},
        at=now,
    )
    timeline_add(case, TimelineKind.CLOSED, actor=actor, data={"closure": case.closure}, at=now)
    return row


@transaction.atomic
def recovery_on_the_spot(
    *,
    actor: User,
    case_id: int,
    notes: dict[str, str],
    skipped: dict[str, str] | None = None,
    version: int | None = None,
) -> list[CaseStep]:
    """An immediate recovery (进攻型补救) recorded in one form: apology, fix, empathy and atonement, in order,
    inside the service encounter. The follow-up comes later, as always. `version` is the case version the
    form was filled against; the first step checks it, the rest run in the same transaction."""
    skipped = skipped or {}
    rows = []
    for i, step in enumerate(rules.STEPS[:4]):
        seen = version if i == 0 else None
        if step in skipped:
            row = step_record(
                actor=actor,
                case_id=case_id,
                step=step,
                skipped_reason=skipped[step],
                timing=Timing.IMMEDIATE,
                version=seen,
            )
        else:
            row = step_record(
                actor=actor,
                case_id=case_id,
                step=step,
                note=notes.get(step, ""),
                timing=Timing.IMMEDIATE,
                version=seen,
            )
        assert row is not None
        rows.append(row)
    return rows
