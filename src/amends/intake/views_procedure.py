"""Staff forms of the complaint measure's procedures on the case page: pause and resume the clock for an
outside appraisal, record a withdrawal, check a decision letter (a second person), decide a review, record
the feedback given to the regulator. Each parses its form and calls one service; a refusal comes back on the
form that caused it, with what was typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.http import staff, staff_page
from amends.core.errors import AmendsError
from amends.core.views import form_error
from amends.recovery.views import render_case

from . import queries, services
from .forms import LetterCheckForm, ReasonForm, RegulatorFeedbackForm, ReviewDecisionForm
from .views import _case_version


def _refused(request: HttpRequest, case_id: int, key: str, form: Form, exc: AmendsError) -> HttpResponse:
    form_error(form, exc)
    return render_case(request, case_id, forms={key: form}, status=exc.status)


@require_POST
@staff_page
def complaint_pause(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.complaint_pause(
            actor=staff(request),
            complaint_id=complaint_id,
            reason=form.cleaned_data.get("reason", ""),
            case_version=_case_version(request),
        )
    except AmendsError as exc:
        return _refused(request, case_id, f"pause-{complaint_id}", form, exc)
    messages.success(request, _("Clock paused; the complainant is told."))
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def complaint_resume(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    try:
        pause = services.complaint_resume(
            actor=staff(request), complaint_id=complaint_id, case_version=_case_version(request)
        )
    except AmendsError as exc:
        return _refused(request, case_id, f"pause-{complaint_id}", ReasonForm({}), exc)
    messages.success(request, _("Clock resumed: %(days)s days left out.") % {"days": pause.days})
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def complaint_withdraw(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.complaint_withdraw(
            actor=staff(request),
            complaint_id=complaint_id,
            reason=form.cleaned_data.get("reason", ""),
            case_version=_case_version(request),
        )
    except AmendsError as exc:
        return _refused(request, case_id, f"withdraw-{complaint_id}", form, exc)
    messages.success(request, _("Withdrawal recorded: the procedure has ended."))
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def letter_check(request: HttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    form = LetterCheckForm(request.POST)
    form.is_valid()
    try:
        letter = services.letter_check(
            actor=staff(request), letter_id=letter_id, approve=form.approve(), note=form.cleaned_data.get("note", "")
        )
    except AmendsError as exc:
        return _refused(request, case_id, f"letter-{letter_id}", form, exc)
    if letter.status == "sent":
        messages.success(request, _("Decision letter sent."))
    else:
        messages.info(request, _("Decision letter returned for changes."))
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def review_decide(request: HttpRequest, case_id: int, review_id: int) -> HttpResponse:
    form = ReviewDecisionForm(request.POST)
    form.is_valid()
    try:
        services.review_decide(
            actor=staff(request),
            review_id=review_id,
            outcome=form.cleaned_data.get("outcome", ""),
            decision=form.cleaned_data.get("decision", ""),
        )
    except AmendsError as exc:
        return _refused(request, case_id, f"review-{review_id}", form, exc)
    messages.success(request, _("Review decided; the complainant is told."))
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def regulator_feedback(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    form = RegulatorFeedbackForm(request.POST)
    form.is_valid()
    try:
        services.regulator_feedback(
            actor=staff(request), complaint_id=complaint_id, feedback=form.cleaned_data.get("feedback", "")
        )
    except AmendsError as exc:
        return _refused(request, case_id, f"regulator-{complaint_id}", form, exc)
    messages.success(request, _("Feedback to the regulator recorded."))
    return redirect("case", case_id=case_id)


@require_GET
@staff_page
def letter_page(request: HttpRequest, letter_id: int) -> HttpResponse:
    """The decision letter to print: the text as sent (kept unchanged on the row), or a draft's text as it
    would be sent."""
    letter = queries.letter_for(staff(request), letter_id)
    with translation.override(letter.language or None):
        body = letter.body or render_to_string("intake/letter_body.txt", services.letter_context(letter))
        return render(
            request, "intake/letter_page.html", {"letter": letter, "complaint": letter.complaint, "body": body}
        )
