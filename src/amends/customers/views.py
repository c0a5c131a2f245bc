"""Staff pages of customers: the customer page (details masked per role, policies, cases) and the search
that the complaint form uses to pick a customer (an htmx fragment of result rows)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amends.accounts.http import staff, staff_page
from amends.core import clock
from amends.core.errors import TooManyRequests

from . import queries


@require_GET
@staff_page
def customer_page(request: HttpRequest, customer_id: int) -> HttpResponse:
    return render_customer(request, customer_id)


def render_customer(
    request: HttpRequest, customer_id: int, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """The customer page; `forms` holds a bound form an app above refused (e.g. a promise), shown in place."""
    detail = queries.customer_detail(staff(request), customer_id)
    return render(
        request,
        "customers/customer.html",
        {
            "customer": detail,
            "sections": queries.CUSTOMER_SECTIONS.by_slot(),
            "now": clock.now(),
            "forms": forms or {},
        },
        status=status,
    )


@require_GET
@staff_page
def customer_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    try:
        results, status = queries.search(staff(request), q), 200
    except TooManyRequests as exc:
        messages.error(request, exc.detail)
        results, status = [], exc.status
    return render(
        request,
        "customers/_search_results.html",
        {"results": results, "q": q, "searched": bool(q.strip()), "selected": request.GET.get("customer", "")},
        status=status,
    )
