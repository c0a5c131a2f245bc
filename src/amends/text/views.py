"""Staff pages of text intelligence: accepting or correcting a suggested code from the case page, and the
escalation lexicon quality managers keep (terms by flag, a new term, retiring one, trying a sentence).

The view parses the form and calls `services.complaint_code`; a refusal (an unknown code, a stale case
version) is shown on that code's form through `recovery.views.render_case`, nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amends.accounts.access import EDITS_LEXICON, require
from amends.accounts.http import staff, staff_page
from amends.core.errors import AmendsError, InvalidInput
from amends.core.views import form_error, refusals_as_messages
from amends.recovery.access import access_case
from amends.recovery.views import render_case

from . import queries, services
from .forms import CodeForm, LexiconTermForm, TryForm
from .models import CodeField, CodeOutcome, FlagCode


@require_POST
@staff_page
def code_post(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    access_case(staff(request), case_id)
    form = CodeForm(request.POST, complaint_id=complaint_id)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose a code from the list."), fields={"code": [_("Choose a code from the list.")]})
        if not form.cleaned_data["code"]:
            raise InvalidInput(_("Choose a code from the list."), fields={"code": [_("This field is required.")]})
        row = services.complaint_code(
            actor=staff(request),
            complaint_id=complaint_id,
            field=form.cleaned_data["field"],
            code=form.cleaned_data["code"],
            version=form.cleaned_data["version"],
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={"code": form}, status=exc.status)
    field = CodeField(row.field).label
    if row.outcome == CodeOutcome.ACCEPTED:
        messages.success(request, _("%(field)s: suggestion accepted.") % {"field": field})
    else:
        messages.success(request, _("%(field)s: code saved.") % {"field": field})
    return redirect("case", case_id=case_id)


@require_http_methods(["GET", "POST"])
@staff_page
def lexicon_page(request: HttpRequest) -> HttpResponse:
    """The escalation lexicon for quality managers: every term by flag, a new term, a sentence to try."""
    actor = staff(request)
    require(actor, EDITS_LEXICON)
    form = LexiconTermForm()
    status = 200
    if request.method == "POST":
        form = LexiconTermForm(request.POST)
        try:
            if not form.is_valid():
                raise InvalidInput(_("The term was not added: please correct the marked fields."))
            d = form.cleaned_data
            row = services.lexicon_term_add(
                actor=actor, kind=d["kind"], flag=d["flag"], term=d["term"], is_pattern=d["is_pattern"], note=d["note"]
            )
        except AmendsError as exc:
            form_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("“%(term)s” is in the lexicon; it flags from now on.") % {"term": row.term})
            return redirect(f"{reverse('lexicon')}#term-{row.pk}")
    trial = TryForm(request.GET) if request.GET.get("text") else TryForm()
    tried = None
    if trial.is_bound and trial.is_valid():
        labels = dict(FlagCode.choices)
        tried = [
            (f.code, labels.get(f.code, f.code), f.evidence) for f in services.lexicon_try(trial.cleaned_data["text"])
        ]
    return render(
        request,
        "text/lexicon.html",
        {"groups": queries.lexicon_groups(), "form": form, "trial": trial, "tried": tried},
        status=status,
    )


@require_POST
@staff_page
def lexicon_term_active(request: HttpRequest, term_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    with refusals_as_messages(request) as outcome:
        row = services.lexicon_term_set_active(actor=staff(request), term_id=term_id, active=active)
    if outcome.refused:
        return redirect("lexicon")
    done = _("“%(term)s” flags again.") if active else _("“%(term)s” is retired: it no longer flags.")
    messages.success(request, done % {"term": row.term})
    return redirect(f"{reverse('lexicon')}#term-{row.pk}")
