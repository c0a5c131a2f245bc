"""Staff pages of intake: the new-complaint form, and the complaint forms of the case page (decide, extend,
approve or reject an extension).

Each view parses its form and calls one service of `intake.services`; a refusal is shown on the form that
caused it, with what the user typed kept. The complaint form carries an idempotency key, so a double click
or a resubmitted page records the complaint once.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amends.accounts.access import RECEIVES_COMPLAINTS, require
from amends.accounts.http import staff, staff_page
from amends.core.errors import AmendsError, Conflict, InvalidInput, TooManyRequests
from amends.core.views import form_error
from amends.customers import queries as customer_queries
from amends.recovery.views import render_case

from . import services
from .forms import SERVICE_FIELDS, ComplaintForm, DecideForm, ExtendForm, ExtensionDecisionForm


@require_http_methods(["GET", "POST"])
@staff_page
def complaint_new(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    require(actor, RECEIVES_COMPLAINTS)
    if request.method == "GET":
        form = ComplaintForm(actor=actor, initial={"q": request.GET.get("q", "")})
        return _render_new(request, form)
    form = ComplaintForm(request.POST, actor=actor)
    if request.POST.get("action") == "search":
        # Without JavaScript the search button posts the whole form: show the results, keep the rest.
        return _render_new(request, form, searching=True)
    try:
        if not form.is_valid():
            # The service's checks too (customer, phone, policy…), for the fields the form did not already flag.
            problems = services.complaint_problems(actor=actor, data=form.to_input())
            named = {SERVICE_FIELDS.get(k, k): v for k, v in problems.items()}
            fields = {k: v for k, v in named.items() if k not in form.errors}
            raise InvalidInput(_("The complaint was not recorded: please correct the marked fields."), fields=fields)
        complaint, created = services.complaint_receive(
            actor=actor, data=form.to_input(), idempotency_key=form.cleaned_data["idempotency_key"]
        )
    except AmendsError as exc:
        if exc.code == "idempotency_key_reused":
            exc = Conflict(_("This form was already used for another complaint. Check the details and submit again."))
            data = request.POST.copy()
            data["idempotency_key"] = uuid.uuid4().hex
            form.data = data
        form_error(form, exc, SERVICE_FIELDS)
        return _render_new(request, form, status=exc.status)
    due = timezone.localtime(complaint.due_at)
    if created:
        messages.success(
            request,
            _("Complaint %(ref)s recorded on case %(case)s. Decide and tell the customer by %(due)s.")
            % {"ref": complaint.reference, "case": complaint.case.reference, "due": f"{due:%Y-%m-%d %H:%M}"},
        )
    else:
        messages.info(request, _("This complaint was already recorded as %(ref)s.") % {"ref": complaint.reference})
    url = reverse("case", kwargs={"case_id": complaint.case_id})
    if form.cleaned_data.get("on_the_spot"):
        url += "?on_the_spot=1#on-the-spot"
    return redirect(url)


def _render_new(
    request: HttpRequest, form: ComplaintForm, *, status: int = 200, searching: bool = False
) -> HttpResponse:
    q = (form.data.get("q") if form.is_bound else form.initial.get("q")) or ""
    try:
        results = customer_queries.search(staff(request), q) if q.strip() else []
    except TooManyRequests as exc:
        messages.error(request, exc.detail)
        results, status = [], exc.status
    return render(
        request,
        "intake/complaint_new.html",
        {
            "form": form,
            "results": results,
            "q": q,
            "searched": bool(q.strip()),
            "selected": form.chosen_customer(),
            "searching": searching,
            "clock": services.clock_config(),
        },
        status=status,
    )


def _case_version(request: HttpRequest) -> int | None:
    """The case's version the page was showing (the services refuse a form filled against an older state)."""
    posted = request.POST.get("version", "")
    return int(posted) if posted.isdigit() else None


@require_POST
@staff_page
def complaint_decide(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    form = DecideForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The decision was not recorded: please correct the marked fields."))
        complaint = services.complaint_decide(
            actor=staff(request),
            complaint_id=complaint_id,
            decision=form.cleaned_data.get("decision", ""),
            result=form.cleaned_data.get("result", ""),
            at_fault=form.cleaned_data.get("at_fault"),
            facts=form.cleaned_data.get("facts", ""),
            reasons=form.cleaned_data.get("reasons", ""),
            offer=form.cleaned_data.get("offer", ""),
            offer_amount=form.cleaned_data.get("offer_amount"),
            case_version=_case_version(request),
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={f"decide-{complaint_id}": form}, status=exc.status)
    if complaint.decided_at is None:
        messages.info(request, _("Decision letter drafted; it waits for a second person's check."))
    else:
        messages.success(
            request, _("Decision on %(ref)s recorded: the clock has stopped.") % {"ref": complaint.reference}
        )
    return redirect("case", case_id=complaint.case_id)


@require_POST
@staff_page
def complaint_extend(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    form = ExtendForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose the extension level."), fields={"level": [_("Choose 1 or 2.")]})
        extension = services.complaint_extend(
            actor=staff(request),
            complaint_id=complaint_id,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
            case_version=_case_version(request),
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={f"extend-{complaint_id}": form}, status=exc.status)
    if extension.status == "pending":
        messages.info(request, _("Extension requested: it waits for a supervisor's approval."))
    else:
        messages.success(request, _("Deadline extended."))
    return redirect("case", case_id=extension.complaint.case_id)


@require_POST
@staff_page
def extension_decide(request: HttpRequest, case_id: int, extension_id: int) -> HttpResponse:
    form = ExtensionDecisionForm(request.POST)
    form.is_valid()
    try:
        extension = services.extension_decide(
            actor=staff(request),
            extension_id=extension_id,
            approve=form.approve(),
            note=form.cleaned_data.get("note", ""),
            case_version=_case_version(request),
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={f"extension-{extension_id}": form}, status=exc.status)
    if extension.status == "approved":
        messages.success(request, _("Extension approved: the deadline has moved."))
    else:
        messages.info(request, _("Extension rejected: the deadline stays."))
    return redirect("case", case_id=extension.complaint.case_id)
