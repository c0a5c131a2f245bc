"""Staff pages of discretion: the panel on the case page (ask, and see what was decided), the approvals page
(what waits on me, oldest first, approve or reject with a note), the equal-treatment report, and the
authority policies in force (quality managers and admins set a new version there).

Each view parses its form and calls one service or query; a refusal is shown on the form that caused it (the
case page through `recovery.views.render_case`), with what the user typed kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.access import APPROVES_DISCRETION, SEES_INSIGHTS, SETS_AUTHORITY, can, require, scope_unit_ids
from amends.accounts.http import staff, staff_page
from amends.accounts.models import OrgUnit, User
from amends.core import clock
from amends.core.errors import AmendsError, InvalidInput
from amends.core.views import form_error
from amends.customers.models import Segment
from amends.recovery.access import access_case
from amends.recovery.views import render_case

from . import queries, services
from .forms import DecisionForm, DiscretionForm, PolicyForm, ReportFilters
from .models import Kind
from .templatetags.discretion_tags import reason_text


@require_POST
@staff_page
def discretion_ask(request: HttpRequest, case_id: int) -> HttpResponse:
    access_case(staff(request), case_id)
    form = DiscretionForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The request was not recorded: please correct the marked fields."))
        d = form.cleaned_data
        answer = services.discretion_request(actor=staff(request), case_id=case_id, **d)
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={"discretion": form}, status=exc.status)
    words = {"kind": Kind(answer.kind).label, "amount": f"{answer.amount:,.2f}"}
    if answer.status == "granted":
        messages.success(request, _("Granted on the spot: %(kind)s of ¥%(amount)s. Tell the customer now.") % words)
    elif answer.status == "refused":
        messages.error(request, _("Refused: %(reason)s.") % {"reason": reason_text(answer.reasons[0])})
    else:
        due = timezone.localtime(answer.approval.due_at)  # type: ignore[attr-defined]
        messages.info(
            request,
            _("Sent to %(approver)s for approval (%(reasons)s); the answer is due by %(due)s.")
            % {
                "approver": answer.approval.approver,  # type: ignore[attr-defined]
                "reasons": "; ".join(reason_text(r) for r in answer.reasons),
                "due": f"{due:%m-%d %H:%M}",
            },
        )
    return redirect("case", case_id=case_id)


def render_approvals(
    request: HttpRequest, *, forms: dict[int, DecisionForm] | None = None, status: int = 200
) -> HttpResponse:
    actor = staff(request)
    require(actor, APPROVES_DISCRETION)
    forms = forms or {}
    mine = [
        {"a": a, "form": forms.get(a.pk) or DecisionForm(approval_id=a.pk, initial={"version": a.version})}
        for a in queries.approvals_waiting(actor)
    ]
    return render(
        request,
        "discretion/approvals.html",
        {"mine": mine, "others": queries.approvals_waiting_below(actor), "now": clock.now()},
        status=status,
    )


@require_GET
@staff_page
def approvals_page(request: HttpRequest) -> HttpResponse:
    return render_approvals(request)


@require_POST
@staff_page
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    form = DecisionForm(request.POST, approval_id=approval_id)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose approve or reject."))
        d = form.cleaned_data
        approval = services.approval_decide(
            actor=staff(request), approval_id=approval_id, decision=d["decision"], note=d["note"], version=d["version"]
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_approvals(request, forms={approval_id: form}, status=exc.status)
    r = approval.request
    words = {"kind": Kind(r.kind).label, "amount": f"{r.amount:,.2f}", "customer": r.customer.name}
    if r.status == "approved":
        messages.success(request, _("Approved: %(kind)s of ¥%(amount)s for %(customer)s.") % words)
    else:
        messages.warning(request, _("Rejected: %(kind)s of ¥%(amount)s for %(customer)s.") % words)
    return redirect("approvals")


@require_GET
@staff_page
def report_page(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    require(actor, SEES_INSIGHTS)
    filters = ReportFilters(request.GET)
    months = (filters.cleaned_data.get("months") if filters.is_valid() else None) or 6
    now = clock.now()
    since = clock.months_start(now, months)
    by_segment = queries.equal_treatment(actor, by="segment", since=since, until=now)
    labels = dict(Segment.choices)
    rows: list[dict[str, Any]] = [{**r, "label": labels.get(r["segment"], r["segment"])} for r in by_segment]
    return render(
        request,
        "discretion/report.html",
        {
            "filters": filters,
            "months": months,
            "since": since,
            "by_segment": rows,
            "by_unit": queries.equal_treatment(actor, by="unit", since=since, until=now),
            "chart": _chart(rows),
        },
    )


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Grant and approval rates per segment, in percent, for the ECharts bar chart."""

    def pct(v: float | None) -> float | None:
        return round(v * 100, 1) if v is not None else None

    return {
        "segments": [str(r["label"]) for r in rows],
        "grant": [pct(r["grant_rate"]) for r in rows],
        "on_the_spot": [pct(r["on_the_spot_rate"]) for r in rows],
        "approval": [pct(r["approval_rate"]) for r in rows],
        "names": [str(_("Granted (on the spot or approved)")), str(_("On the spot")), str(_("Approval rate"))],
    }


def _units(actor: User) -> list[tuple[int, str]]:
    ids = scope_unit_ids(actor)
    units = OrgUnit.objects.all() if ids is None else OrgUnit.objects.filter(pk__in=ids)
    return [(u.pk, f"{'　' * (u.path.count('/') - 2)}{u.name}") for u in units.order_by("path")]


# Policies per page: a head office has one per role, unit and kind (a phone showed 28,000 px of them at once).
POLICY_PAGE = 25


def render_policies(request: HttpRequest, *, form: PolicyForm | None = None, status: int = 200) -> HttpResponse:
    actor = staff(request)
    require(actor, SEES_INSIGHTS)
    if form is None and can(actor, SETS_AUTHORITY):
        form = PolicyForm(units=_units(actor), initial={"period": "month"})
    return render(
        request,
        "discretion/policies.html",
        {
            "policies": Paginator(queries.policies_in_force(now=clock.now()), POLICY_PAGE).get_page(
                request.GET.get("page")
            ),
            "form": form,
        },
        status=status,
    )


@require_GET
@staff_page
def policies_page(request: HttpRequest) -> HttpResponse:
    return render_policies(request)


@require_POST
@staff_page
def policy_set(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    require(actor, SETS_AUTHORITY)
    form = PolicyForm(request.POST, units=_units(actor))
    try:
        if not form.is_valid():
            raise InvalidInput(_("The policy was not saved: please correct the marked fields."))
        d = form.cleaned_data
        policy = services.policy_set(
            actor=actor,
            role=d["role"],
            org_unit_id=d["org_unit"],
            kind=d["kind"],
            per_action_limit=d["per_action_limit"],
            actor_budget=d["actor_budget"] or None,
            unit_budget=d["unit_budget"] or None,
            period=d["period"],
            effective_from=d["effective_from"],
            note=d["note"],
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_policies(request, form=form, status=exc.status)
    messages.success(
        request,
        _("Version %(version)s saved: in force from %(at)s.")
        % {"version": policy.version, "at": f"{timezone.localtime(policy.effective_from):%Y-%m-%d %H:%M}"},
    )
    return redirect("discretion_policies")
