"""Recording a service failure noticed without a complaint (a broken promise; later early warnings,
surveys and callbacks): the failure opens or joins the customer's case and stands on its timeline."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from amends.accounts.models import User
from amends.core import audit, batch
from amends.customers.models import Customer
from amends.journeys.models import Touchpoint

from ..models import Case, Failure, FailureSource, TimelineKind
from ..rules import Episode
from .common import timeline_add
from .opening import CaseOpening, case_open_or_join
from .priority import case_count_repeat


def failure_record(
    *,
    actor: User | None,
    customer: Customer,
    touchpoint: Touchpoint | None,
    episode: Episode,
    source: str,
    source_ref: str,
    description: str,
    at: datetime,
    dimension: str = "",
    gap: int | None = None,
    cause: str = "",
) -> Failure | None:
    """Record the failure and its case; None when this source had already recorded it (noticed once)."""
    try:
        with transaction.atomic():
            opened = case_open_or_join(
                actor=actor, opening=CaseOpening(customer=customer, episode=episode, at=at, touchpoint=touchpoint)
            )
            failure = Failure.objects.create(
                case=opened.case,
                customer=customer,
                touchpoint=touchpoint,
                dimension=dimension,
                gap=gap,
                cause=cause,
                source=source,
                source_ref=source_ref,
                description=description,
                occurred_at=at,
            )
            timeline_add(
                opened.case,
                TimelineKind.FAILURE,
                actor=actor,
                text=description,
                at=at,
                data={"failure": failure.pk, "source": source, "dimension": dimension, "gap": gap},
            )
            opened.note_assignment(at)
            audit.record(
                audit.entry(
                    actor=actor,
                    action="failure.record",
                    obj=failure,
                    after=audit.snapshot(failure, ["case", "source", "dimension", "gap", "cause"]),
                )
            )
    except IntegrityError:
        if source_ref and Failure.objects.filter(source=source, source_ref=source_ref).exists():
            return None
        raise
    return failure


def repeat_failure_record(
    *, actor: User | None, case: Case, customer: Customer, source_ref: str, description: str, at: datetime
) -> Failure:
    """The customer came back about an open case: a second failure (double deviation, 二次偏离) recorded on
    that case, which counts as one more repeat in its priority. For callers holding the case row (intake)."""
    failure = Failure(
        case=case,
        customer=customer,
        touchpoint=case.touchpoint,
        dimension="responsiveness",
        gap=3,
        cause="company",
        source=FailureSource.COMPLAINT,
        source_ref=source_ref,
        description=description,
        occurred_at=at,
    )
    batch.create(failure)  # with intake's other writes when it reserved the id (core.batch)
    timeline_add(case, TimelineKind.REPEAT, actor=actor, text=description, at=at, data={"failure": failure.pk})
    audit.record(
        audit.entry(
            actor=actor,
            action="failure.record",
            obj=failure,
            after=audit.snapshot(failure, ["case", "source", "dimension", "gap", "cause"]),
        )
    )
    case_count_repeat(actor=actor, case=case)
    return failure
