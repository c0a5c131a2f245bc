"""Staff pages of intake: the new-complaint form, and the complaint forms of the case page (decide, extend,
approve or reject an extension).

Each case-page form is its form, its service call and what to say (`case_forms.case_form_post`); a refusal
is shown on the form that caused it, with what the user typed kept. The complaint form carries an idempotency
key, so a double click or a resubmitted page records the complaint once.
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

from . import services
from .case_forms import case_form_post
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
    return case_form_post(
        request,
        case_id,
        DecideForm(request.POST),
        f"decide-{complaint_id}",
        lambda data: services.complaint_decide(
            actor=staff(request),
            complaint_id=complaint_id,
            decision=data.get("decision", ""),
            result=data.get("result", ""),
            at_fault=data.get("at_fault"),
            facts=data.get("facts", ""),
            reasons=data.get("reasons", ""),
            offer=data.get("offer", ""),
            offer_amount=data.get("offer_amount"),
            case_version=_case_version(request),
        ),
        lambda complaint: (
            (messages.INFO, _("Decision letter drafted; it waits for a second person's check."))
            if complaint.decided_at is None
            else (
                messages.SUCCESS,
                _("Decision on %(ref)s recorded: the clock has stopped.") % {"ref": complaint.reference},
            )
        ),
        invalid=InvalidInput(_("The decision was not recorded: please correct the marked fields.")),
    )


@require_POST
@staff_page
def complaint_extend(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    return case_form_post(
        request,
        case_id,
        ExtendForm(request.POST),
        f"extend-{complaint_id}",
        lambda data: services.complaint_extend(
            actor=staff(request),
            complaint_id=complaint_id,
            level=data["level"],
            reason=data["reason"],
            case_version=_case_version(request),
        ),
        lambda extension: (
            (messages.INFO, _("Extension requested: it waits for a supervisor's approval."))
            if extension.status == "pending"
            else (messages.SUCCESS, _("Deadline extended."))
        ),
        invalid=InvalidInput(_("Choose the extension level."), fields={"level": [_("Choose 1 or 2.")]}),
    )


@require_POST
@staff_page
def extension_decide(request: HttpRequest, case_id: int, extension_id: int) -> HttpResponse:
    form = ExtensionDecisionForm(request.POST)
    return case_form_post(
        request,
        case_id,
        form,
        f"extension-{extension_id}",
        lambda data: services.extension_decide(
            actor=staff(request),
            extension_id=extension_id,
            approve=form.approve(),
            note=data.get("note", ""),
            case_version=_case_version(request),
        ),
        lambda extension: (
            (messages.SUCCESS, _("Extension approved: the deadline has moved."))
            if extension.status == "approved"
            else (messages.INFO, _("Extension rejected: the deadline stays."))
        ),
    )
