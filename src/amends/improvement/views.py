"""Rectification pages: the list (with failures before and after each change), a new one from a root cause
(the Pareto page links here with its touchpoint and cause filled in), and one rectification with the form that
moves it along. Each view parses its form and calls one service or query."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amends.accounts.access import require
from amends.accounts.http import staff, staff_page
from amends.core import clock
from amends.core.errors import AmendsError, InvalidInput
from amends.core.views import form_error
from amends.journeys.queries import touchpoint_by_code

from . import queries, services
from .access import RECTIFIES, access_rectification
from .forms import RectificationForm, UpdateForm
from .models import RectificationStatus


@staff_page
def rectifications_page(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    require(actor, RECTIFIES)
    status = request.GET.get("status", "open")
    if status not in ("", "open", *RectificationStatus.values):
        status = "open"
    found = queries.rectifications(actor, now=clock.now(), status=status)
    return render(
        request, "improvement/list.html", {"found": found, "status": status, "statuses": RectificationStatus.choices}
    )


@staff_page
def rectification_new(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    require(actor, RECTIFIES)
    if request.method == "POST":
        form = RectificationForm(request.POST)
        try:
            if not form.is_valid():
                raise InvalidInput(_("The rectification was not recorded: please correct the marked fields."))
            d = form.cleaned_data
            r = services.rectification_open(
                actor=actor,
                touchpoint=d["touchpoint"],
                cause=d["cause"],
                title=d["title"],
                action=d["action"],
                owner=d["owner"],
                due_date=d["due_date"],
            )
        except AmendsError as exc:
            form_error(form, exc)
            return render(request, "improvement/new.html", {"form": form}, status=422)
        messages.success(request, _("Rectification recorded."))
        return redirect("rectification", r.pk)
    initial = {k: request.GET.get(k, "") for k in ("touchpoint", "cause")}
    if initial["cause"] == "-":
        initial["cause"] = ""
    tp = touchpoint_by_code(initial["touchpoint"]) if initial["touchpoint"] else None
    return render(request, "improvement/new.html", {"form": RectificationForm(initial=initial), "touchpoint": tp})


@staff_page
def rectification_page(request: HttpRequest, rectification_id: int) -> HttpResponse:
    actor = staff(request)
    r = access_rectification(actor, rectification_id)
    form = UpdateForm(initial={"status": r.status, "version": r.version, "due_date": r.due_date})
    status = 200
    if request.method == "POST":
        form = UpdateForm(request.POST)
        try:
            if not form.is_valid():
                raise InvalidInput(_("The rectification was not changed: please correct the marked fields."))
            d = form.cleaned_data
            services.rectification_update(
                actor=actor,
                rectification_id=r.pk,
                version=d["version"],
                status=d["status"],
                owner=d["owner"],
                due_date=d["due_date"],
                note=d["note"],
            )
        except AmendsError as exc:
            form_error(form, exc)
            status = 409 if exc.status == 409 else 422
        else:
            messages.success(request, _("Rectification updated."))
            return redirect("rectification", r.pk)
    detail = queries.detail(r, clock.now())
    return render(request, "improvement/detail.html", {"r": detail, "form": form}, status=status)
