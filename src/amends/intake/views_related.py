"""Staff pages for related complaints: split a complaint out of its case, merge another case into this one.

Each view parses its form and calls one service of `intake.services.related`; a refusal (a stale version,
the only complaint of a case, a closed case) is shown on the case page, nothing written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amends.accounts.http import staff, staff_page
from amends.core.errors import AmendsError, InvalidInput
from amends.recovery.access import access_case
from amends.recovery.models import Case
from amends.recovery.views import render_case

from .case_forms import case_form_post
from .services import related


class SplitForm(forms.Form):
    version = forms.IntegerField(required=False)


class MergeForm(forms.Form):
    other = forms.CharField(label=gettext_lazy("Case to merge into this one"), max_length=40)
    version = forms.IntegerField(required=False)


@require_POST
@staff_page
def complaint_split(request: HttpRequest, case_id: int, complaint_id: int) -> HttpResponse:
    access_case(staff(request), case_id)
    form = SplitForm(request.POST)
    form.is_valid()
    try:
        new_case = related.complaint_split(
            actor=staff(request), complaint_id=complaint_id, version=form.cleaned_data.get("version")
        )
    except AmendsError as exc:
        messages.error(request, exc.detail)
        return render_case(request, case_id, status=exc.status)
    messages.success(request, _("The complaint now has its own case %(ref)s.") % {"ref": new_case.reference})
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def case_merge(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = staff(request)
    access_case(actor, case_id)

    def merge(data: dict[str, Any]) -> tuple[Case, Case]:
        other = related.find_case(actor, data["other"])
        return other, related.case_merge(actor=actor, case_id=case_id, other_id=other.pk, version=data["version"])

    return case_form_post(
        request,
        case_id,
        MergeForm(request.POST),
        "merge",
        merge,
        lambda merged: (
            messages.SUCCESS,
            _("%(other)s is merged into %(case)s.") % {"other": merged[0].reference, "case": merged[1].reference},
        ),
        invalid=InvalidInput(_("Give the reference of the case to merge."), fields={"other": [_("Required.")]}),
    )
