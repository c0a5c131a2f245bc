"""Staff forms of the complaint measure's procedures on the case page: pause and resume the clock for an
outside appraisal, record a withdrawal, check a decision letter (a second person), decide a review, record
the feedback given to the regulator. Each is its form, its service call and what to say, through
`case_forms.case_form_post`: a refusal comes back on the form that caused it, with what was typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.http import staff, staff_page

from . import queries, services
from .case_forms import case_form_post
from .forms import LetterCheckForm, ReasonForm, RegulatorFeedbackForm, ReviewDecisionForm
from .letter_pdf import pdf_response
from .models import DecisionLetter
from .views import _case_version


@require_POST
@staff_page
def complaint_pause(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    return case_form_post(
        request,
        case_id,
        ReasonForm(request.POST),
        f"pause-{complaint_id}",
        lambda data: services.complaint_pause(
            actor=staff(request),
            complaint_id=complaint_id,
            reason=data.get("reason", ""),
            case_version=_case_version(request),
        ),
        _("Clock paused; the complainant is told."),
    )


@require_POST
@staff_page
def complaint_resume(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    return case_form_post(
        request,
        case_id,
        ReasonForm({}),
        f"pause-{complaint_id}",
        lambda data: services.complaint_resume(
            actor=staff(request), complaint_id=complaint_id, case_version=_case_version(request)
        ),
        lambda pause: (messages.SUCCESS, _("Clock resumed: %(days)s days left out.") % {"days": pause.days}),
    )


@require_POST
@staff_page
def complaint_withdraw(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    return case_form_post(
        request,
        case_id,
        ReasonForm(request.POST),
        f"withdraw-{complaint_id}",
        lambda data: services.complaint_withdraw(
            actor=staff(request),
            complaint_id=complaint_id,
            reason=data.get("reason", ""),
            case_version=_case_version(request),
        ),
        _("Withdrawal recorded: the procedure has ended."),
    )


@require_POST
@staff_page
def letter_check(request: HttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    form = LetterCheckForm(request.POST)
    return case_form_post(
        request,
        case_id,
        form,
        f"letter-{letter_id}",
        lambda data: services.letter_check(
            actor=staff(request), letter_id=letter_id, approve=form.approve(), note=data.get("note", "")
        ),
        lambda letter: (
            (messages.SUCCESS, _("Decision letter sent."))
            if letter.status == "sent"
            else (messages.INFO, _("Decision letter returned for changes."))
        ),
    )


@require_POST
@staff_page
def review_decide(request: HttpRequest, case_id: int, review_id: int) -> HttpResponse:
    return case_form_post(
        request,
        case_id,
        ReviewDecisionForm(request.POST),
        f"review-{review_id}",
        lambda data: services.review_decide(
            actor=staff(request),
            review_id=review_id,
            outcome=data.get("outcome", ""),
            decision=data.get("decision", ""),
        ),
        _("Review decided; the complainant is told."),
    )


@require_POST
@staff_page
def regulator_feedback(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    return case_form_post(
        request,
        case_id,
        RegulatorFeedbackForm(request.POST),
        f"regulator-{complaint_id}",
        lambda data: services.regulator_feedback(
            actor=staff(request), complaint_id=complaint_id, feedback=data.get("feedback", "")
        ),
        _("Feedback to the regulator recorded."),
    )


def _letter_body(letter: DecisionLetter) -> str:
    """The text as sent (kept unchanged on the row), or a draft's text as it would be sent."""
    return letter.body or render_to_string("intake/letter_body.txt", services.letter_context(letter))


@require_GET
@staff_page
def letter_page(request: HttpRequest, letter_id: int) -> HttpResponse:
    """The decision letter to print."""
    letter = queries.letter_for(staff(request), letter_id)
    with translation.override(letter.language or None):
        return render(
            request,
            "intake/letter_page.html",
            {"letter": letter, "complaint": letter.complaint, "body": _letter_body(letter)},
        )


@require_GET
@staff_page
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    """The decision letter as a PDF, the same text as its printable page."""
    letter = queries.letter_for(staff(request), letter_id)
    with translation.override(letter.language or None):
        return pdf_response(letter, _letter_body(letter))
