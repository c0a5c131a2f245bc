"""Staff pages of early warning: the alert inbox (filters, acknowledge, resolve, open a recovery case) and
the playbooks page (quality managers edit; everyone reads). Each view parses its form and calls one
service or query; refusals come back as messages or on the form, with what was typed kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.access import WORKS_CASES, can
from amends.accounts.http import staff, staff_page
from amends.core import clock
from amends.core.errors import AmendsError, Forbidden, InvalidInput, NotFound
from amends.core.views import form_error, refusals_as_messages
from amends.journeys.models import Touchpoint

from . import queries, services
from .forms import InboxFilters, PlaybookForm, ResolveForm
from .models import SYSTEM_RULE_NAMES, Playbook, RuleConfig
from .services.playbooks import EDITS_PLAYBOOKS

PAGE_SIZE = 25


@require_GET
@staff_page
def inbox(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    filters = InboxFilters(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    qs = queries.inbox(
        actor,
        status=values.get("status") or "live",
        mine=bool(values.get("mine")),
        severity=values.get("severity"),
        rule=values.get("rule") or "",
        owner_role=values.get("owner_role") or "",
    )
    page = queries.page(qs, values.get("page") or 1, PAGE_SIZE)
    names = {**SYSTEM_RULE_NAMES, **dict(RuleConfig.objects.values_list("key", "name"))}
    return render(
        request,
        "warning/inbox.html",
        {
            "filters": filters,
            "page": page,
            "rule_names": names,
            "works_cases": can(actor, WORKS_CASES),
            "resolve_form": ResolveForm(),
            "now": clock.now(),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/alerts/") else reverse("alerts"))


@require_POST
@staff_page
def acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    with refusals_as_messages(request):
        services.alert_acknowledge(actor=staff(request), alert_id=alert_id)
        messages.success(request, _("Alert acknowledged."))
    return _back(request)


@require_POST
@staff_page
def resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    form = ResolveForm(request.POST)
    resolution = form.cleaned_data["resolution"] if form.is_valid() else ""
    with refusals_as_messages(request):
        services.alert_resolve(actor=staff(request), alert_id=alert_id, resolution=resolution)
        messages.success(request, _("Alert resolved."))
    return _back(request)


@require_POST
@staff_page
def bulk(request: HttpRequest) -> HttpResponse:
    """Acknowledge or resolve the alerts ticked on the inbox."""
    with refusals_as_messages(request):
        ids = [int(i) for i in request.POST.getlist("alerts") if i.isdigit()]
        done, refused = services.alerts_bulk(
            actor=staff(request),
            alert_ids=ids,
            action=request.POST.get("action", ""),
            resolution=request.POST.get("resolution", "")[:5000],
        )
        messages.success(request, ngettext("%(n)d alert changed.", "%(n)d alerts changed.", done) % {"n": done})
        for why in refused:
            messages.warning(request, why)
    return _back(request)


@require_POST
@staff_page
def open_case(request: HttpRequest, alert_id: int) -> HttpResponse:
    with refusals_as_messages(request) as outcome:
        case = services.alert_open_case(actor=staff(request), alert_id=alert_id)
    if outcome.refused:
        return _back(request)
    messages.success(
        request, _("Recovery case %(ref)s opened with the touchpoint's playbook.") % {"ref": case.reference}
    )
    return redirect("case", case_id=case.pk)


@require_GET
@staff_page
def playbooks_page(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    return render(
        request,
        "warning/playbooks.html",
        {"rows": queries.playbooks(), "edits": actor.role in EDITS_PLAYBOOKS},
    )


@require_http_methods(["GET", "POST"])
@staff_page
def playbook_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = staff(request)
    touchpoint = Touchpoint.objects.select_related("journey").filter(code=code).first()
    if touchpoint is None:
        raise NotFound(_("Unknown touchpoint “%(value)s”.") % {"value": code})
    if actor.role not in EDITS_PLAYBOOKS:
        raise Forbidden(_("Only quality managers edit playbooks."))
    playbook = Playbook.objects.filter(touchpoint=touchpoint).first()
    status = 200
    if request.method == "POST":
        form = PlaybookForm(request.POST)
        try:
            if not form.is_valid():
                raise InvalidInput(_("The playbook was not saved: please correct the marked fields."))
            d = form.cleaned_data
            services.playbook_save(
                actor=actor,
                touchpoint=code,
                apology=d["apology"],
                fix_actions=d["fix_actions"],
                atonement=d["atonement"],
                atonement_limit=d["atonement_limit"],
                follow_up_days=d["follow_up_days"],
                version=d["version"],
            )
        except AmendsError as exc:
            form_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Playbook saved."))
            return redirect(f"{reverse('playbooks')}#tp-{code}")
    else:
        initial: dict[str, Any] = {"follow_up_days": 3}
        if playbook is not None:
            initial = {
                "apology": playbook.apology,
                "fix_actions": playbook.fix_actions,
                "atonement": playbook.atonement,
                "atonement_limit": playbook.atonement_limit,
                "follow_up_days": playbook.follow_up_days,
                "version": playbook.version,
            }
        form = PlaybookForm(initial=initial)
    return render(
        request,
        "warning/playbook_edit.html",
        {"form": form, "touchpoint": touchpoint, "playbook": playbook},
        status=status,
    )
