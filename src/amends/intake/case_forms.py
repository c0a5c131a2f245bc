"""The one shape of intake's forms on the case page: read the posted form, call one service with what it holds,
and either go back to the case with a message or show the case again with the service's refusal on the form
that caused it (what was typed kept, the refusal's status: 409, 403, 422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from amends.core.errors import AmendsError, InvalidInput
from amends.core.views import form_error
from amends.recovery.views import render_case

T = TypeVar("T")
# What to say once the service has acted: one text, or (level, text) from what it returned.
Said = str | Callable[[Any], tuple[int, str]]


def case_form_post(
    request: HttpRequest,
    case_id: int,
    form: Form,
    key: str,
    call: Callable[[dict[str, Any]], T],
    said: Said,
    *,
    invalid: InvalidInput | None = None,
) -> HttpResponse:
    """`call` gets the form's cleaned data (what validated; the service checks the rest). With `invalid`, a form
    that fails its own checks is refused with it before any service is called. `key` names the form on the case
    page (`render_case(forms=…)`)."""
    valid = form.is_valid()
    try:
        if not valid and invalid is not None:
            raise invalid
        done = call(form.cleaned_data)
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={key: form}, status=exc.status)
    level, text = (messages.SUCCESS, said) if isinstance(said, str) else said(done)
    messages.add_message(request, level, text)
    return redirect("case", case_id=case_id)
