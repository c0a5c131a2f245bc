"""Staff pages of promises: the promises panel of the case page (make, keep, break, renegotiate), the
kept-rate hint shown while a due time is picked (realistic promising), and the promises page.

Each view parses its form and calls one service or query of `promises`; a refusal is shown on the form that
caused it through `recovery.views.render_case`, with what the user typed kept. Settling carries the
promise's own `version`, so a form filled against an older state of the promise writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.http import staff, staff_page
from amends.accounts.models import Role, User
from amends.core import clock
from amends.core.errors import AmendsError, InvalidInput, NotFound
from amends.core.views import form_error
from amends.customers.access import access_customer
from amends.customers.views import render_customer
from amends.journeys.queries import touchpoint_by_code, touchpoint_names
from amends.recovery.access import access_case
from amends.recovery.views import render_case

from . import queries, services
from .access import access_promise
from .forms import HintForm, PromiseForm, SettleForm

# Roles that watch other people's promises: the overdue-by-unit section is always shown to them.
WATCHES_UNITS = {Role.SUPERVISOR, Role.QUALITY_MANAGER, Role.ADMIN}
KEPT_RATE_MONTHS = 6


def hint_for(actor: User, touchpoint: str, due_at: datetime | None, now: datetime) -> dict[str, Any] | None:
    """The realistic-promising hint for a due time being picked, or None without a due time or a unit."""
    if due_at is None or actor.org_unit_id is None:
        return None
    tp = touchpoint_by_code(touchpoint) if touchpoint else None
    answer = queries.suggestion(
        touchpoint_id=tp.pk if tp else None, org_unit_id=actor.org_unit_id, due_at=due_at, now=now
    )
    suggested = answer["suggested_due_at"]
    if suggested is not None:
        local, asked = timezone.localtime(suggested), timezone.localtime(due_at)
        answer["suggested_text"] = f"{local:%H:%M}" if local.date() == asked.date() else f"{local:%m-%d %H:%M}"
    answer["kept_percent"] = round(answer["kept_rate"] * 100) if answer["kept_rate"] is not None else None
    answer["quantile_percent"] = round(answer["quantile"] * 100)
    return answer


@require_GET
@staff_page
def hint(request: HttpRequest) -> HttpResponse:
    form = HintForm(request.GET)
    answer = None
    if form.is_valid():
        answer = hint_for(staff(request), form.cleaned_data["touchpoint"], form.cleaned_data["due_at"], clock.now())
    return render(request, "promises/_hint.html", {"hint": answer})


def _make(request: HttpRequest, *, customer_id: int, case_id: int | None) -> tuple[PromiseForm, Any]:
    """Parse the promise form and call the service: (form, promise), or (form with the refusal on it, error)."""
    form = PromiseForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The promise was not recorded: please correct the marked fields."))
        d = form.cleaned_data
        promise = services.promise_make(
            actor=staff(request),
            customer_id=customer_id,
            case_id=case_id,
            text=d["text"],
            due_at=d["due_at"],
            channel=d["channel"],
            touchpoint=d["touchpoint"],
        )
    except AmendsError as exc:
        form_error(form, exc)
        return form, exc
    due = timezone.localtime(promise.due_at)
    messages.success(request, _("Promise recorded, due %(due)s.") % {"due": f"{due:%Y-%m-%d %H:%M}"})
    return form, promise


@require_POST
@staff_page
def promise_make(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(staff(request), case_id)
    form, result = _make(request, customer_id=case.customer_id, case_id=case.pk)
    if isinstance(result, AmendsError):
        return render_case(request, case_id, forms={"promise": form}, status=result.status)
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def promise_make_for_customer(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A promise made from the customer page, outside any case (a broken one opens a case by itself)."""
    customer = access_customer(staff(request), customer_id)
    form, result = _make(request, customer_id=customer.pk, case_id=None)
    if isinstance(result, AmendsError):
        return render_customer(request, customer_id, forms={"promise": form}, status=result.status)
    return redirect("customer", customer_id=customer_id)


@require_POST
@staff_page
def promise_settle(request: HttpRequest, case_id: int, promise_id: int) -> HttpResponse:
    actor = staff(request)
    access_case(actor, case_id)
    if access_promise(actor, promise_id).case_id != case_id:
        raise NotFound(_("No such promise."))
    form = SettleForm(request.POST, promise_id=promise_id)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The promise was not settled: please correct the marked fields."))
        d = form.cleaned_data
        renegotiating = d["outcome"] == "renegotiated"
        promise = services.promise_settle(
            actor=actor,
            promise_id=promise_id,
            outcome=d["outcome"],
            note=d["note"],
            new_due_at=d["new_due_at"] if renegotiating else None,
            customer_consent=d["customer_consent"] if renegotiating else False,
            version=d["version"],
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={f"settle-{promise_id}": form}, status=exc.status)
    if d["outcome"] == "kept":
        messages.success(request, _("Promise kept."))
    elif d["outcome"] == "broken":
        messages.warning(request, _("Promise recorded as broken."))
    else:
        due = timezone.localtime(promise.due_at)
        messages.success(request, _("New due time agreed: %(due)s.") % {"due": f"{due:%Y-%m-%d %H:%M}"})
    return redirect("case", case_id=case_id)


@require_GET
@staff_page
def promises_page(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    now = clock.now()
    since = clock.months_start(now, KEPT_RATE_MONTHS)
    by_touchpoint = queries.kept_rate(actor, by="touchpoint", since=since, until=now)
    names = touchpoint_names(r["touchpoint"] for r in by_touchpoint)
    for row in by_touchpoint:
        row["name"] = names.get(row["touchpoint"]) or row["touchpoint"] or _("Not known")
    overdue = queries.overdue_by_unit(actor, now=now)
    return render(
        request,
        "promises/promises.html",
        {
            "now": now,
            "due_today": queries.due_today(actor, now=now),
            "overdue_by_unit": overdue,
            "show_overdue": actor.role in WATCHES_UNITS or bool(overdue),
            "by_touchpoint": by_touchpoint,
            "by_unit": queries.kept_rate(actor, by="unit", since=since, until=now),
            "since": since,
        },
    )
