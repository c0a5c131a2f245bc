"""A case's priority: computed by `rules.priority` from the severity stored on the case (`Case.severity`), and
recomputed whenever something that weighs on it changes (a complaint joins, escalation language, the customer
coming back, an early warning, a merge). What only grows (the largest loss, every escalation flag, an early
warning's level) is carried over from the stored severity, never re-read from the explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from amends.accounts.models import User
from amends.core import audit

from .. import rules
from ..models import IS_OPEN, Case
from .common import CASE_AUDIT_FIELDS, save_case

PRIORITY_FIELDS = ["priority", "priority_score", "severity"]


def stored_severity(case: Case) -> rules.Severity | None:
    return rules.Severity.from_data(case.severity) if case.severity else None


def repeats_of(case: Case) -> int:
    stored = stored_severity(case)
    return stored.repeat_failures_90d if stored else 0


def reprioritise(
    case: Case,
    *,
    repeats: int,
    loss_amount: Decimal | None = None,
    escalation_flags: Sequence[str] = (),
    raised: tuple[int, str] | None = None,
) -> None:
    """Set the case's severity and priority (not saved): `repeats` are the customer's other failures within the
    repeat window as the caller counted them; the customer and touchpoint as they are now; the loss, flags and
    early-warning level the case already had still count."""
    before = stored_severity(case)
    losses = [x for x in (loss_amount, before.loss_amount if before else None) if x]
    flags = set(escalation_flags) | set(before.escalation_flags if before else ())
    levels: list[tuple[int, str]] = [raised] if raised else []
    if before and before.raised_to is not None:
        levels.append((before.raised_to, before.raised_reason))
    most_urgent = min(levels, key=lambda r: r[0], default=None)
    severity = rules.Severity(
        segment=case.customer.segment,
        customer_value=case.customer.value,
        loss_amount=max(losses, default=None),
        repeat_failures_90d=repeats,
        touchpoint_criticality=case.touchpoint.criticality if case.touchpoint else None,
        escalation_flags=tuple(sorted(flags)),
        raised_to=most_urgent[0] if most_urgent else None,
        raised_reason=most_urgent[1] if most_urgent else "",
    )
    answer = rules.priority(severity)
    case.severity, case.priority, case.priority_score = severity.as_data(), answer.level, answer.score


def case_escalate(*, actor: User | None, case: Case, flags: Sequence[str]) -> bool:
    """Raise the priority for escalation flags found in a complaint on the case; False when it changes nothing.

    For callers inside the transaction that opened or joined the case (intake's receivers), which hold its
    row. The other factors keep the values they were computed with.
    """
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    old = (case.priority, case.priority_score, case.severity)
    reprioritise(case, repeats=repeats_of(case), escalation_flags=flags)
    if (case.priority, case.priority_score, case.severity) == old:
        return False
    save_case(case, before, actor=actor, action="case.escalate", fields=PRIORITY_FIELDS)
    return True


def case_count_repeat(*, actor: User | None, case: Case) -> None:
    """One more repeat failure on the case (the customer came back): its priority rises accordingly."""
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    reprioritise(case, repeats=repeats_of(case) + 1)
    save_case(case, before, actor=actor, action="case.repeat", fields=PRIORITY_FIELDS)


@transaction.atomic
def case_priority_raise(*, case_id: int, level: int, reason: str) -> Case | None:
    """The system raises an open case to at least `level` (P1 is the most urgent), e.g. when an early warning
    sees the customer's second failure within the repeat window (double deviation risk). None if closed."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("customer", "touchpoint")
        .filter(IS_OPEN, pk=case_id)
        .first()
    )
    if case is None:
        return None
    if case.priority <= level:
        return case
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    reprioritise(case, repeats=repeats_of(case), raised=(level, reason))
    save_case(case, before, actor=None, action="case.priority_raise", fields=PRIORITY_FIELDS)
    return case
