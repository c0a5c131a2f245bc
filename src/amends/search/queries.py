"""The one search behind the top bar's box and `GET /api/v1/search`: cases, complaints, customers and notes
the actor may see, for a reference, a number, a name or words.

Every read is scoped to the actor's org subtree. Phone numbers are matched only for roles that see them
unmasked, so a masked number cannot be found by guessing it. A customer found by name or number brings their
cases. Each kind is one indexed query with a small limit: never a query per row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from amends.accounts.access import SEES_CONTACTS, can, scope_filter
from amends.accounts.models import User
from amends.customers.models import Customer, Policy
from amends.intake.models import Complaint
from amends.journeys.queries import touchpoints_by_id
from amends.recovery.models import Case, CaseStep, TimelineEntry, TimelineKind

from . import rules, text

PER_KIND = 10


@dataclass
class Result:
    kind: str  # case, complaint, customer, note
    id: int
    reference: str
    title: str
    url: str
    snippet: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Found:
    results: list[Result]
    # True when a word search ran out of time (a word in very many notes) and its kind is missing.
    partial: bool = False


def search(actor: User, q: str) -> list[Result]:
    return search_all(actor, q).results


def search_all(actor: User, q: str) -> Found:
    query = rules.parse(q)
    if query.empty:
        return Found([])
    found: list[Result] = []
    partial = False
    if query.reference:
        found += _by_reference(actor, query.reference)
    customers = _customers(actor, query)
    found += [_customer_result(c) for c in customers]
    found += [_case_result(c) for c in _cases_of(actor, [c.pk for c in customers])]
    if query.number:
        found += [_complaint_result(c, ()) for c in _complaints_by_claim(actor, query.number)]
    if query.terms:
        for words in (_complaints_by_words, _notes):
            hits, whole = words(actor, query.terms)
            partial = partial or not whole
            found += hits
    seen: set[tuple[str, int]] = set()
    unique = []
    for r in found:
        if (r.kind, r.id) not in seen:
            seen.add((r.kind, r.id))
            unique.append(r)
    return Found(unique, partial)


def _by_reference(actor: User, ref: rules.Reference) -> list[Result]:
    if ref.prefix == "BJ":
        case = _case_rows(scope_filter(Case.objects.filter(pk=ref.pk), actor)).first()
        return [_case_result(case)] if case and timezone.localtime(case.opened_at).year == ref.year else []
    complaint = _complaint_rows(_scoped_complaints(actor).filter(pk=ref.pk)).first()
    if complaint and timezone.localtime(complaint.received_at).year == ref.year:
        return [_complaint_result(complaint, ())]
    return []


def _customers(actor: User, query: rules.Query) -> list[Customer]:
    scoped = scope_filter(Customer.objects.only("id", "name", "customer_no", "segment"), actor)
    if query.name:
        exact = list(scoped.filter(name=query.name).order_by("id")[:PER_KIND])
        more = scoped.filter(name__startswith=query.name).exclude(name=query.name).order_by("name", "id")
        return exact + list(more[: PER_KIND - len(exact)])
    # One indexed lookup each (customer number, a policy's holder, phone), not one OR the planner cannot index.
    found: list[Customer] = []
    if query.number:
        found += scoped.filter(customer_no=query.number)[:PER_KIND]
        holders = Policy.objects.filter(policy_no__startswith=query.number).order_by("policy_no")
        found += scoped.filter(pk__in=list(holders.values_list("customer_id", flat=True)[:PER_KIND]))
    if query.phone and can(actor, SEES_CONTACTS):
        found += scoped.filter(phone=query.phone).order_by("id")[:PER_KIND]
    unique = {c.pk: c for c in found}
    return sorted(unique.values(), key=lambda c: (c.name, c.pk))[:PER_KIND]


def _case_rows(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("customer").only(
        "id", "status", "opened_at", "touchpoint_id", "customer__id", "customer__name"
    )


def _cases_of(actor: User, customer_ids: list[int]) -> list[Case]:
    if not customer_ids:
        return []
    qs = scope_filter(Case.objects.filter(customer_id__in=customer_ids), actor)
    return list(_case_rows(qs).order_by("-opened_at", "-id")[:PER_KIND])


def _scoped_complaints(actor: User) -> QuerySet[Complaint]:
    return scope_filter(Complaint.objects.all(), actor, field="case__org_unit")


def _complaint_rows(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.select_related("customer").only(
        "id", "case_id", "received_at", "description", "claim_no", "customer__id", "customer__name"
    )


def _complaints_by_claim(actor: User, number: str) -> list[Complaint]:
    qs = _scoped_complaints(actor).filter(claim_no__startswith=number).exclude(claim_no="")
    # In the prefix index's own order: the planner cannot tell how few claims share a prefix.
    return list(_complaint_rows(qs).order_by("claim_no", "id")[:PER_KIND])


def _complaints_by_words(actor: User, terms: tuple[str, ...]) -> tuple[list[Result], bool]:
    rows, whole = text.newest_matching(
        _scoped_complaints(actor), Complaint.objects.all(), ("description", "request"), terms, PER_KIND, _complaint_rows
    )
    return [_complaint_result(c, terms) for c in rows], whole


def _notes(actor: User, terms: tuple[str, ...]) -> tuple[list[Result], bool]:
    """Step notes and timeline notes (kind `note`) containing every term, newest first; False when some were
    not searched in time."""
    sources: list[tuple[QuerySet[Any], str]] = [
        (CaseStep.objects.exclude(note=""), "note"),
        (TimelineEntry.objects.filter(kind=TimelineKind.NOTE), "text"),
    ]
    found = []
    whole = True
    for qs, column in sources:
        scoped = scope_filter(qs, actor, field="case__org_unit")
        rows, complete = text.newest_matching(
            scoped, qs, (column,), terms, PER_KIND, lambda q: q.select_related("case__customer")
        )
        whole = whole and complete
        for row in rows:
            case = row.case
            cut = rules.snippet(getattr(row, column), terms)
            url = _case_url(case.pk, "timeline")
            found.append(Result("note", row.pk, case.reference, case.customer.name, url, cut))
    return found, whole


def _case_url(case_id: int, anchor: str = "") -> str:
    return reverse("case", args=[case_id]) + (f"#{anchor}" if anchor else "")


def _customer_result(c: Customer) -> Result:
    return Result("customer", c.pk, c.customer_no, c.name, reverse("customer", args=[c.pk]), c.get_segment_display())


def _case_result(case: Case) -> Result:
    touchpoint = touchpoints_by_id().get(case.touchpoint_id) if case.touchpoint_id else None
    title = " · ".join(str(p) for p in (case.customer.name, touchpoint, case.get_status_display()) if p)
    return Result("case", case.pk, case.reference, title, _case_url(case.pk))


def _complaint_result(c: Complaint, terms: tuple[str, ...]) -> Result:
    title = c.customer.name + (f" · {c.claim_no}" if c.claim_no else "")
    return Result(
        "complaint",
        c.pk,
        c.reference,
        title,
        _case_url(c.case_id, f"complaint-{c.pk}"),
        rules.snippet(c.description, terms),
    )
