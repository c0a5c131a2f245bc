"""The search page behind the top bar's box (every staff page has it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amends.accounts.http import staff, staff_page
from amends.core.errors import AmendsError

from . import queries
from .limits import search_allow


@require_GET
@staff_page
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    actor = staff(request)
    results: list[queries.Result] = []
    partial = False
    error = ""
    status = 200
    if q.strip():
        try:
            search_allow(actor)
            found = queries.search_all(actor, q)
            results, partial = found.results, found.partial
        except AmendsError as exc:
            error, status = exc.detail, exc.status
    return render(
        request,
        "search/results.html",
        {"q": q, "results": results, "searched": bool(q.strip()), "error": error, "partial": partial},
        status=status,
    )


@require_GET
@staff_page
def help_page(request: HttpRequest) -> HttpResponse:
    """Finding one's way: what the search box understands and the keyboard shortcuts."""
    return render(request, "search/help.html")
