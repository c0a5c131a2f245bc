"""Labels for promise codes, and the promise forms of the case page (blank, or the bound one that a service
just refused, with the kept-rate hint for the due time it asked)."""

from __future__ import annotations

from typing import Any

from django import template

from amends.core import clock
from amends.core.templatetags.amends import choice_label
from amends.promises.forms import PromiseForm, SettleForm
from amends.promises.models import PromiseStatus, RevisionKind

register = template.Library()


@register.filter
def promise_status(code: str) -> str:
    return choice_label(PromiseStatus, code)


@register.filter
def revision_kind(code: str) -> str:
    return choice_label(RevisionKind, code)


@register.simple_tag
def customer_promise_form(forms: dict[str, Any], user: Any) -> dict[str, Any]:
    from amends.promises.views import hint_for

    make = forms.get("promise") or PromiseForm()
    hint = None
    if make.is_bound and make.is_valid():
        hint = hint_for(user, make.cleaned_data["touchpoint"], make.cleaned_data["due_at"], clock.now())
    return {"make": make, "hint": hint}


@register.simple_tag
def promise_panel(case: dict[str, Any], forms: dict[str, Any], user: Any) -> dict[str, Any]:
    from amends.promises.views import hint_for

    make = forms.get("promise") or PromiseForm(initial={"touchpoint": case.get("touchpoint") or ""})
    hint = None
    if make.is_bound and make.is_valid():
        hint = hint_for(user, make.cleaned_data["touchpoint"], make.cleaned_data["due_at"], clock.now())
    promises = []
    for p in case.get("promises", []):
        form = forms.get(f"settle-{p['id']}") or SettleForm(promise_id=p["id"], initial={"version": p["version"]})
        promises.append({**p, "form": form})
    return {"make": make, "hint": hint, "promises": promises}
