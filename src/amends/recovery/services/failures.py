"""Recording a service failure noticed without a complaint (a broken promise; later early warnings,
surveys and callbacks): the failure opens or joins the customer's case and stands on its timeline."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amends.accounts.access import WORKS_CASES, require
from amends.accounts.models import User
from amends.core import audit, batch
from amends.core.errors import InvalidInput, NotFound
from amends.customers.models import Customer
from amends.journeys.models import Touchpoint

from ..models import Case, Cause, Dimension, Failure, FailureSource, TimelineKind
from ..rules import Episode
from .common import CASE_AUDIT_FIELDS, check_version, locked_case, save_case, timeline_add
from .opening import CaseOpening, case_open_or_join
from .priority import case_count_repeat


def _audited(actor: User | None, failure: Failure) -> None:
    after = audit.snapshot(failure, ["case", "source", "dimension", "gap", "cause"])
    audit.record(audit.entry(actor=actor, action="failure.record", obj=failure, after=after))


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
            _audited(actor, failure)
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
    _audited(actor, failure)
    case_count_repeat(actor=actor, case=case)
    return failure


def perception_gap_record(
    *, actor: User | None, case: Case, source: str, source_ref: str, description: str, at: datetime, dimension: str = ""
) -> Failure | None:
    """Gap 4 (自以为已经为客户创造了价值): the case was closed as recovered and the customer answers that the
    problem is not solved. Recorded on that case as a failure of gap 4 without reopening it (the answer is
    the handler's to act on); None when this answer was recorded already."""
    try:
        with transaction.atomic():
            failure = Failure.objects.create(
                case=case,
                customer_id=case.customer_id,
                touchpoint_id=case.touchpoint_id,
                dimension=dimension,
                gap=4,
                source=source,
                source_ref=source_ref,
                description=description,
                occurred_at=at,
            )
    except IntegrityError:
        if source_ref and Failure.objects.filter(source=source, source_ref=source_ref).exists():
            return None
        raise
    data = {"failure": failure.pk, "gap": 4}
    timeline_add(case, TimelineKind.FAILURE, actor=actor, text=description, at=at, data=data)
    _audited(actor, failure)
    return failure


FAILURE_CODE_FIELDS = ["cause", "dimension", "gap"]


def failure_of_case(case_id: int, failure_id: int) -> bool:
    return Failure.objects.filter(pk=failure_id, case_id=case_id).exists()


@transaction.atomic
def failure_code(
    *,
    actor: User,
    failure_id: int,
    cause: str | None = None,
    dimension: str | None = None,
    gap: int | None = None,
    version: int | None = None,
) -> Failure:
    """Code a failure's cause, dimension and quality gap (1–4); a value left None stays as it is, "" (or 0
    for the gap) clears it. `version` is the case as the page showed it."""
    require(actor, WORKS_CASES)
    failure = Failure.objects.filter(pk=failure_id).first()
    if failure is None:
        raise NotFound(_("No such failure."))
    case = locked_case(actor, failure.case_id)
    check_version(case, version)
    errors: dict[str, list[str]] = {}
    if cause is not None and cause not in ("", *Cause.values):
        errors["cause"] = [_("Choose company, uncontrollable or customer.")]
    if dimension is not None and dimension not in ("", *Dimension.values):
        errors["dimension"] = [_("Choose one of the five dimensions.")]
    if gap is not None and gap not in (0, 1, 2, 3, 4):
        errors["gap"] = [_("Choose a gap from 1 to 4.")]
    if errors:
        raise InvalidInput(_("The failure was not coded: please correct the marked fields."), fields=errors)
    failure = Failure.objects.select_for_update().get(pk=failure_id)
    before = audit.snapshot(failure, FAILURE_CODE_FIELDS)
    if cause is not None:
        failure.cause = cause
    if dimension is not None:
        failure.dimension = dimension
    if gap is not None:
        failure.gap = gap or None
    failure.save(update_fields=FAILURE_CODE_FIELDS)
    audit.record(
        audit.entry(
            actor=actor,
            action="failure.code",
            obj=failure,
            before=before,
            after=audit.snapshot(failure, FAILURE_CODE_FIELDS),
        )
    )
    # The case page's forms carry the case version: a code changes what that page shows.
    save_case(case, audit.snapshot(case, CASE_AUDIT_FIELDS), actor=actor, action="case.code", fields=[])
    return failure
