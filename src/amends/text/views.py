"""Staff pages of text intelligence: accepting or correcting a suggested code from the case page.

The view parses the form and calls `services.complaint_code`; a refusal (an unknown code, a stale case
version) is shown on that code's form through `recovery.views.render_case`, nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amends.core.errors import AmendsError, InvalidInput
from amends.core.views import form_error, staff, staff_page
from amends.recovery.access import access_case
from amends.recovery.views import render_case

from . import services
from .forms import CodeForm
from .models import CodeField, CodeOutcome


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
