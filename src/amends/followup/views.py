"""Pages of follow-up. Public (no login): the complaint portal, a complainant's status page, the survey page.
Staff: the callback list and the call page (the survey's questions as a call script).

Public pages never show a stack of internal detail: an unknown or forged link is a plain 404 page, an
expired one a 403 page that says what to do instead; services decide everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.access import WORKS_CASES, require, scope_filter
from amends.accounts.http import staff, staff_page
from amends.core import clock
from amends.core.clients import client_address
from amends.core.errors import AmendsError, InvalidInput, RuleViolation
from amends.core.views import form_error
from amends.customers.models import Customer
from amends.customers.presenters import contact
from amends.intake import services as intake
from amends.intake.access import access_complaint
from amends.intake.letter_pdf import pdf_response
from amends.intake.services.related import find_case

from . import queries, services
from .forms import AddForm, AnswerForm, CallForm, CodeForm, PortalForm, ReviewForm, WithdrawForm
from .models import SurveyStatus
from .services.callbacks import access_callback
from .services.surveys import survey_for_token

PORTAL_FIELDS = {"customer.name": "name", "customer": "name", "client": "__all__", "contact": "phone"}


def _public(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"hotline": settings.AMENDS_HOTLINE, "clock": intake.clock_config(), **context}
    return render(request, template, context, status=status)


@require_http_methods(["GET"])
def portal_rules(request: HttpRequest) -> HttpResponse:
    """The complaint routes and rules the measure asks an insurer to publish, from configuration."""
    clock = intake.clock_config()
    return _public(
        request,
        "followup/rules.html",
        {
            "office": settings.AMENDS_COMPLAINT_OFFICE,
            "clock": {
                "base_days": clock.base_days,
                "extended_days": clock.extended_days,
                "max_days": clock.extended_days + clock.further_days,
                "review_request_days": clock.review_request_days,
            },
        },
    )


def _link_problem(request: HttpRequest, exc: AmendsError) -> HttpResponse:
    return _public(request, "followup/link_problem.html", {"problem": exc.detail}, status=exc.status)


@require_http_methods(["GET", "POST"])
@never_cache
def portal(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _public(request, "followup/portal.html", {"form": PortalForm()})
    form = PortalForm(request.POST)
    if form.caught():
        # Said plainly, with a way out, in case a person's browser filled the hidden field in.
        form.add_error(
            None,
            _("Your complaint could not be accepted online. Please call us on %(hotline)s.")
            % {"hotline": settings.AMENDS_HOTLINE},
        )
        return _public(request, "followup/portal.html", {"form": form}, status=400)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Your complaint was not sent yet: please correct the marked fields."))
        data = form.cleaned_data
        complaint, token = services.portal_submit(
            data=services.PortalInput(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                contact_preference=data["contact_preference"],
                policy_no=data["policy_no"],
                claim_no=data["claim_no"],
                description=data["description"],
                request=data["request"],
                language=translation.get_language() or "",
            ),
            client_address=client_address(request),
            idempotency_key=data["idempotency_key"],
        )
    except AmendsError as exc:
        form_error(form, exc, PORTAL_FIELDS)
        return _public(request, "followup/portal.html", {"form": form}, status=exc.status)
    status_path = request.build_absolute_uri(reverse("portal_status", kwargs={"token": token}))
    return _public(
        request,
        "followup/acknowledged.html",
        {"complaint": complaint, "status_url": status_path, "token": token},
        status=201,
    )


@require_GET
@never_cache
def portal_status(request: HttpRequest, token: str) -> HttpResponse:
    try:
        status = queries.portal_status(token)
    except AmendsError as exc:
        return _link_problem(request, exc)
    return _public(request, "followup/status.html", {"s": status, **_additions(token)})


def _additions(
    token: str,
    form: AddForm | None = None,
    code_form: CodeForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    review_form: ReviewForm | None = None,
) -> dict[str, Any]:
    """What the status page offers besides the status: the thread, adding to it, proving who one is,
    withdrawing the complaint and asking for a review of its decision."""
    return {
        "thread": queries.portal_thread(token),
        "add_form": form or AddForm(),
        "code_form": code_form or CodeForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "review_form": review_form or ReviewForm(),
        "token": token,
    }


@require_POST
@never_cache
def portal_add(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant adds a message and files on their status page."""
    form = AddForm(request.POST)
    try:
        status = queries.portal_status(token)
    except AmendsError as exc:
        return _link_problem(request, exc)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Nothing was added yet: please correct the marked fields."))
        services.portal_add(token=token, text=form.cleaned_data["text"], files=request.FILES.getlist("files"))
    except AmendsError as exc:
        form_error(form, exc)
        return _public(request, "followup/status.html", {"s": status, **_additions(token, form)}, exc.status)
    return redirect(reverse("portal_status", kwargs={"token": token}) + "?added=1#add")


@require_POST
@never_cache
def portal_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant withdraws their undecided complaint (a decided one is refused, 409, said on the page)."""
    form = WithdrawForm(request.POST)
    form.is_valid()
    return _procedure_post(
        request,
        token,
        form,
        "withdraw_form",
        lambda: services.portal_withdraw(token=token, reason=form.cleaned_data.get("reason", "")),
        "withdrawn",
    )


@require_POST
@never_cache
def portal_review(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant asks for a review of the decision (too late or a second time: refused, said on the page)."""
    form = ReviewForm(request.POST)
    form.is_valid()
    return _procedure_post(
        request,
        token,
        form,
        "review_form",
        lambda: services.portal_review(token=token, grounds=form.cleaned_data.get("grounds", "")),
        "review",
    )


def _procedure_post(
    request: HttpRequest, token: str, form: Any, key: str, call: Callable[[], object], done: str
) -> HttpResponse:
    """Call the service; on success go back to the page's part that shows the result, on a refusal show the page
    again with the refusal on the form (a bad or expired link is its own page)."""
    try:
        call()
    except AmendsError as exc:
        if exc.status in (403, 404):
            return _link_problem(request, exc)
        form_error(form, exc)
        try:
            status = queries.portal_status(token)
        except AmendsError as problem:
            return _link_problem(request, problem)
        return _public(request, "followup/status.html", {"s": status, **_additions(token, **{key: form})}, exc.status)
    return redirect(reverse("portal_status", kwargs={"token": token}) + f"?done={done}#procedure")


@require_GET
@never_cache
def portal_letter(request: HttpRequest, token: str) -> HttpResponse:
    """The decision letter sent on the complaint the link was issued for, as a PDF (the text as sent)."""
    try:
        letter = queries.portal_letter(token)
    except AmendsError as exc:
        return _link_problem(request, exc)
    return pdf_response(letter, letter.body)


@require_POST
@never_cache
def portal_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Send a one-time code to the contact on file (`send`), or check the code typed back."""
    form = CodeForm(request.POST)
    notice, status_code = "", 200
    try:
        if request.POST.get("action") == "send":
            services.portal_code_send(token=token)
            notice = _(
                "If the details you gave match a customer of ours, we have sent a code to the phone or e-mail "
                "we hold for them. Type it below."
            )
        else:
            if not form.is_valid():
                raise InvalidInput(_("Type the six-digit code we sent."), fields={"code": [_("Six digits.")]})
            services.portal_code_verify(token=token, code=form.cleaned_data["code"])
            notice = _("Thank you: your complaint is now linked to your customer record.")
    except AmendsError as exc:
        if exc.status in (403, 404):
            return _link_problem(request, exc)
        form_error(form, exc)
        notice, status_code = exc.detail, exc.status
    try:
        status = queries.portal_status(token)
    except AmendsError as exc:
        return _link_problem(request, exc)
    return _public(
        request,
        "followup/status.html",
        {"s": status, **_additions(token, code_form=form), "notice": notice},
        status=status_code,
    )


@require_http_methods(["GET", "POST"])
@never_cache
def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        row = survey_for_token(token)
    except AmendsError as exc:
        return _link_problem(request, exc)
    if row.status != SurveyStatus.SENT:
        return _public(request, "followup/survey_done.html", {"already": True})
    if request.method == "GET":
        return _public(
            request, "followup/survey.html", {"form": AnswerForm(), "reference": queries.customer_reference(row.case)}
        )
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Your answer was not sent yet: please correct the marked questions."))
        services.survey_answer(token=token, answer=form.answer())
    except AmendsError as exc:
        form_error(form, exc)
        return _public(
            request,
            "followup/survey.html",
            {"form": form, "reference": queries.customer_reference(row.case)},
            exc.status,
        )
    return _public(request, "followup/survey_done.html", {"already": False})


@require_POST
@staff_page
def portal_link(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """Staff link a portal complaint to the verified customer's record (and case): the form on its case page."""
    actor = staff(request)
    complaint = access_complaint(actor, complaint_id)
    back = reverse("case", kwargs={"case_id": complaint.case_id}) + "#portal-link"
    number = request.POST.get("customer", "").strip()
    reference = request.POST.get("case", "").strip()
    try:
        customer = scope_filter(Customer.objects.filter(customer_no=number.upper()), actor).first() if number else None
        if customer is None:
            raise InvalidInput(
                _("No customer with this number in your organisation."), fields={"customer": [_("Not found.")]}
            )
        linked = services.portal_link_verified(
            actor=actor,
            complaint_id=complaint.pk,
            customer_id=customer.pk,
            case_id=find_case(actor, reference).pk if reference else None,
            verified_by=request.POST.get("verified_by", ""),
            note=request.POST.get("note", "")[:2000],
        )
    except AmendsError as exc:
        messages.error(request, exc.detail)
        return redirect(back)
    messages.success(
        request,
        _("%(complaint)s is now under %(customer)s's record, on case %(case)s.")
        % {"complaint": linked.reference, "customer": customer.name, "case": linked.case.reference},
    )
    return redirect(reverse("case", kwargs={"case_id": linked.case_id}))


@require_GET
@staff_page
def callbacks_page(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    return render(
        request,
        "followup/callbacks.html",
        {
            "open": queries.callbacks_open(actor),
            "recent": queries.callbacks_recent(actor, since=clock.now() - timedelta(days=7)),
        },
    )


@require_POST
@staff_page
def callback_claim_post(request: HttpRequest, callback_id: int) -> HttpResponse:
    try:
        services.callback_claim(actor=staff(request), callback_id=callback_id)
    except RuleViolation as exc:
        messages.error(request, exc.detail)
        return redirect("callbacks")
    return redirect("callback", callback_id=callback_id)


@require_http_methods(["GET", "POST"])
@staff_page
def callback_page(request: HttpRequest, callback_id: int) -> HttpResponse:
    actor = staff(request)
    callback = access_callback(actor, callback_id)
    if request.method == "GET":
        form = CallForm(initial={"version": callback.version})
        return _render_call(request, callback, form)
    require(actor, WORKS_CASES)
    form = CallForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The call was not recorded: please correct the marked fields."))
        services.callback_record(
            actor=actor,
            callback_id=callback_id,
            outcome=form.cleaned_data["outcome"],
            answer=form.answer() if form.cleaned_data["outcome"] == "reached" else None,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
    except AmendsError as exc:
        form_error(form, exc)
        return _render_call(request, callback, form, status=exc.status)
    messages.success(request, _("Call recorded."))
    return redirect("callbacks")


def _render_call(request: HttpRequest, callback: Any, form: CallForm, status: int = 200) -> HttpResponse:
    actor = staff(request)
    return render(
        request,
        "followup/callback.html",
        {
            "callback": callback,
            "contact": contact(actor, callback.customer),
            "attempts": list(callback.attempt_log.select_related("actor")),
            "form": form,
        },
        status=status,
    )
