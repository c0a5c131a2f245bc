"""Staff pages of recovery: the queue and the case page with its forms (steps, immediate recovery, assign).

Each view parses a form, calls one query or one service, and renders. A service's refusal comes back as an
`AmendsError`: the case page is rendered again with the refusal on the form and what the user typed kept;
a stale `version` shows the conflict and writes nothing. Forms post normally and redirect; htmx swaps the
case page in place from the same answers. The complaints panel of the case page belongs to `intake`, whose
views render their refusals through `render_case` below.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.access import ASSIGNS_CASES, OWNS_CASES, WORKS_CASES, can, scope_filter
from amends.accounts.http import staff, staff_page
from amends.accounts.models import User
from amends.core import clock
from amends.core.errors import AmendsError, InvalidInput, NotFound
from amends.core.views import form_error
from amends.journeys.queries import touchpoints_by_id

from . import queries, rules, services
from .access import access_case
from .forms import GAPS, AssignForm, FailureCodeForm, OnTheSpotForm, QueueFilters, StepForm
from .models import IS_OPEN, Case, Cause, Dimension, Step, TimelineKind

# Roles that own cases: their queue page starts with their own cases ("mine" means mine); everyone else's
# starts with their part of the organisation. Either may switch.
STARTS_WITH_MINE = OWNS_CASES
# Filters a saved view keeps (not the page position).
VIEW_KEYS = ("scope", "status", "overdue", "priority", "touchpoint", "channel", "owner", "segment", "flag", "sort")


def _channels() -> list[tuple[str, str]]:
    # The channels of the complaints on a case, read through the relation intake adds (recovery does not import it).
    related: Any = Case._meta.get_field("complaints").related_model
    return list(related._meta.get_field("channel").choices or [])


# The bulk bar suggests this many owners; anyone else in scope is typed by name (an admin has hundreds).
BULK_SUGGESTED = 40


def queue_filters(actor: User, data: Any) -> QueueFilters:
    touchpoints = [(tp.pk, f"{tp.journey.name} · {tp.name}") for tp in touchpoints_by_id().values() if tp.active]
    return QueueFilters(data, touchpoints=touchpoints, channels=_channels(), owners=_filter_owners(actor, data))


def _filter_owners(actor: User, data: Any) -> Any:
    """Only people who hold open cases can narrow the queue (and one a saved view names, to keep it valid)."""
    chosen = str(data.get("owner") or "")
    holding = Q(pk__in=Case.objects.filter(IS_OPEN, owner__isnull=False).values("owner_id"))
    return _owners(actor).filter(holding | Q(pk=int(chosen)) if chosen.isdigit() else holding)


@require_GET
@staff_page
def queue_page(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    filters = queue_filters(actor, request.GET)
    filters.is_valid()
    scope = filters.value("scope") or ("mine" if actor.role in STARTS_WITH_MINE else "all")
    owner = filters.value("owner") or ""
    query = queries.QueueQuery(
        owner_id=int(owner) if owner.isdigit() else actor.pk if scope == "mine" and not owner else None,
        unassigned=owner == "none",
        status=filters.value("status") or None,
        overdue={"yes": True, "no": False}.get(filters.value("overdue") or ""),
        priority=filters.value("priority"),
        touchpoint_id=filters.value("touchpoint"),
        channel=filters.value("channel") or None,
        segment=filters.value("segment") or None,
        flag=filters.value("flag") or None,
        sort=filters.value("sort") or "default",
    )
    now = clock.now()
    try:
        page = queries.queue(actor, now=now, query=query, cursor=filters.value("after") or None)
    except InvalidInput:
        page = queries.queue(actor, now=now, query=query)
    kept = {k: request.GET[k] for k in VIEW_KEYS if request.GET.get(k)}
    return render(
        request,
        "recovery/queue.html",
        {
            "page": page,
            "filters": filters,
            "scope": scope,
            "counts": queries.queue_counts(actor, now=now, query=query),
            "now": now,
            "query_string": urlencode(kept),
            "views": queries.queue_views(actor),
            "assigns": can(actor, ASSIGNS_CASES),
            "owns": can(actor, OWNS_CASES),
            "owners": _owners(actor).filter(org_unit=actor.org_unit)[:BULK_SUGGESTED]
            if can(actor, ASSIGNS_CASES)
            else [],
            "more_filters": any(request.GET.get(k) for k in VIEW_KEYS[3:]),
            "first_page": not filters.value("after") and (filters.value("page") or 1) == 1,
        },
    )


@require_POST
@staff_page
def queue_view_post(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    try:
        if request.POST.get("delete"):
            services.queue_view_delete(actor=actor, view_id=int(request.POST["delete"]))
            messages.success(request, _("The view was deleted."))
            return redirect("queue")
        query = request.POST.get("query", "")
        services.queue_view_save(
            actor=actor, name=request.POST.get("name", ""), query=query, shared=request.POST.get("shared") == "on"
        )
    except (AmendsError, ValueError) as exc:
        messages.error(request, getattr(exc, "detail", _("Choose a view from the list.")))
        return redirect("queue")
    messages.success(request, _("The view was saved."))
    return redirect(reverse("queue") + (f"?{query}" if query else ""))


@require_POST
@staff_page
def queue_bulk_post(request: HttpRequest) -> HttpResponse:
    """Reassign the cases ticked on the queue page to one person (or by the assignment rules)."""
    actor = staff(request)
    back = reverse("queue") + (f"?{request.POST['back']}" if request.POST.get("back") else "")
    try:
        ids = [int(i) for i in request.POST.getlist("cases")]
        result = services.case_bulk_assign(actor=actor, case_ids=ids, owner=_typed_owner(actor, request.POST))
    except (AmendsError, ValueError) as exc:
        messages.error(request, getattr(exc, "detail", _("Choose at least one case.")))
        return redirect(back)
    messages.success(
        request,
        ngettext("%(n)d case reassigned.", "%(n)d cases reassigned.", len(result.done)) % {"n": len(result.done)},
    )
    for case_id, why in result.refused:
        messages.warning(request, _("Case %(id)s was left as it was: %(why)s") % {"id": case_id, "why": why})
    return redirect(back)


@require_POST
@staff_page
def case_take_post(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = services.case_take(actor=staff(request), case_id=case_id)
    except AmendsError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.detail)
        return redirect(request.POST.get("next") or "queue")
    messages.success(request, _("%(ref)s is now yours.") % {"ref": case.reference})
    return redirect("case", case_id=case_id)


@require_GET
@staff_page
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return render_case(request, case_id, on_the_spot=request.GET.get("on_the_spot") == "1")


@require_POST
@staff_page
def step_post(request: HttpRequest, case_id: int) -> HttpResponse:
    access_case(staff(request), case_id)
    form = StepForm(request.POST)
    if not form.is_valid():
        return render_case(request, case_id, forms={"step": form}, status=422)
    try:
        row = services.step_record(actor=staff(request), case_id=case_id, **form.service_args())
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={"step": form}, status=exc.status)
    step = Step(form.cleaned_data["step"]).label
    if row is None:
        messages.success(request, _("Follow-up attempt recorded."))
    elif row.skipped:
        messages.success(request, _("“%(step)s” skipped.") % {"step": step})
    else:
        messages.success(request, _("“%(step)s” recorded.") % {"step": step})
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def on_the_spot_post(request: HttpRequest, case_id: int) -> HttpResponse:
    access_case(staff(request), case_id)
    form = OnTheSpotForm(request.POST)
    if not form.is_valid():
        form.add_error(None, _("Write what was said or done for each of the four steps."))
        return render_case(request, case_id, forms={"on_the_spot": form}, status=422, on_the_spot=True)
    try:
        services.recovery_on_the_spot(
            actor=staff(request),
            case_id=case_id,
            notes=form.notes(),
            version=form.cleaned_data["version"],
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={"on_the_spot": form}, status=exc.status, on_the_spot=True)
    messages.success(request, _("Immediate recovery recorded. The follow-up comes later."))
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def assign_post(request: HttpRequest, case_id: int) -> HttpResponse:
    access_case(staff(request), case_id)
    form = AssignForm(request.POST, owners=_owners(staff(request)))
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose an owner from the list."))
        case = services.case_assign(
            actor=staff(request),
            case_id=case_id,
            owner=form.cleaned_data["owner"],
            version=form.cleaned_data["version"],
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={"assign": form}, status=exc.status)
    if case.owner_id is None:
        messages.warning(request, _("No eligible handler was found; the case has no owner."))
    else:
        messages.success(request, _("The case now belongs to %(name)s.") % {"name": case.owner})
    return redirect("case", case_id=case_id)


@require_POST
@staff_page
def failure_code_post(request: HttpRequest, case_id: int, failure_id: int) -> HttpResponse:
    """Code a failure of the case from the case page: cause, dimension and quality gap (1–4)."""
    actor = staff(request)
    access_case(actor, case_id)
    if not services.failure_of_case(case_id, failure_id):
        raise NotFound(_("No such failure."))
    form = FailureCodeForm(request.POST, failure_id=failure_id)
    try:
        if not form.is_valid():
            raise InvalidInput(_("The failure was not coded: please correct the marked fields."))
        data = form.cleaned_data
        services.failure_code(
            actor=actor,
            failure_id=failure_id,
            cause=data["cause"],
            dimension=data["dimension"],
            gap=int(data["gap"] or 0),
            version=data["version"],
        )
    except AmendsError as exc:
        form_error(form, exc)
        return render_case(request, case_id, forms={"failure": form}, status=exc.status)
    messages.success(request, _("The failure is coded."))
    return redirect(f"{reverse('case', args=[case_id])}#failure-{failure_id}")


def _typed_owner(actor: User, data: Any) -> User | None:
    """The owner typed in the bulk bar: a user name (or id), within scope; blank lets the rules choose."""
    typed = str(data.get("owner") or "").strip()
    if not typed:
        return None
    found = _owners(actor).filter(Q(username=typed) | (Q(pk=int(typed)) if typed.isdigit() else Q(pk__in=[]))).first()
    if found is None:
        raise InvalidInput(_("Choose an owner from the list."))
    return found


def _owners(actor: User) -> Any:
    users = User.objects.filter(role__in=OWNS_CASES, is_active=True).select_related("org_unit")
    return scope_filter(users, actor).order_by("org_unit__path", "role", "username")


def render_case(
    request: HttpRequest,
    case_id: int,
    *,
    forms: dict[str, Form] | None = None,
    status: int = 200,
    on_the_spot: bool = False,
) -> HttpResponse:
    """The case page; `forms` holds a bound form that failed, shown in place of the blank one."""
    actor = staff(request)
    now = clock.now()
    detail = queries.case_detail(actor, case_id, now=now)
    forms = dict(forms or {})
    current = {s["step"]: s for s in detail["steps"] if s["round"] == detail["round"]}
    next_step = detail["next_step"]
    stepper = [
        {
            "code": code,
            "record": current.get(code),
            "state": (
                ("skipped" if current[code]["skipped"] else "done")
                if code in current
                else "next"
                if code == next_step
                else "todo"
            ),
        }
        for code in rules.STEPS
    ]
    works = can(actor, WORKS_CASES)
    prepared = _prepared_notes(detail)
    if works and next_step:
        forms.setdefault("step", StepForm(initial={"step": next_step, "note": prepared.get(next_step, "")}))
    if works and not detail["steps"] and detail["status"] != "closed":
        forms.setdefault("on_the_spot", OnTheSpotForm(initial=prepared))
    if can(actor, ASSIGNS_CASES) and detail["status"] != "closed":
        owner_id = (detail["owner"] or {}).get("id")
        forms.setdefault("assign", AssignForm(owners=_owners(actor), initial={"owner": owner_id}))
    return render(
        request,
        "recovery/case.html",
        {
            "case": detail,
            "now": now,
            "stepper": stepper,
            "next_step": next_step,
            "may_skip": next_step is not None and next_step not in rules.NEVER_SKIPPED,
            "forms": forms,
            "on_the_spot": on_the_spot,
            "timeline": _timeline(detail),
            "failures": queries.case_failures(case_id),
            "cause_choices": Cause.choices,
            "dimension_choices": Dimension.choices,
            "gap_choices": GAPS,
            "sections": queries.CASE_SECTIONS.by_slot(),
        },
        status=status,
    )


def _prepared_notes(detail: dict[str, Any]) -> dict[str, str]:
    """The touchpoint's playbook (when early warning gives the case one) as the steps' starting text: the
    apology wording, the fix actions, the atonement within the default authority. Staff edit it before saving."""
    playbook = detail.get("playbook")
    if not playbook:
        return {}
    atonement = playbook["atonement"]
    if atonement and playbook["atonement_limit"] is not None:
        atonement = f"{atonement} (≤ ¥{playbook['atonement_limit']})"
    notes = {"apology": playbook["apology"], "fix": "\n".join(playbook["fix_actions"]), "atonement": atonement}
    return {step: text for step, text in notes.items() if text}


def _timeline(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Timeline entries with what their data names (an owner, a complaint) resolved for display."""
    owner_ids = {t["data"].get("owner") for t in detail["timeline"] if t["kind"] == TimelineKind.ASSIGNED}
    names: dict[Any, str] = {u.pk: str(u) for u in User.objects.filter(pk__in=owner_ids - {None})}
    complaints: dict[Any, str] = {c["id"]: c["reference"] for c in detail.get("complaints", [])}
    entries = []
    for t in detail["timeline"]:
        data = t["data"] or {}
        entries.append(
            {
                **t,
                "step": data.get("step"),
                "outcome": data.get("outcome"),
                "owner_name": names.get(data.get("owner")),
                "auto": data.get("auto"),
                "complaint_ref": complaints.get(data.get("complaint")),
                "channel": data.get("channel"),
                "level": data.get("level"),
                "why": data.get("why"),
                "moved_ref": data.get("reference"),
            }
        )
    return entries
