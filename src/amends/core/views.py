"""Liveness (`/healthz`: 200 with the database reachable, 503 when it is not, for load balancers and monitors),
and the small helpers every app's pages share: a service's `AmendsError` shown on the form that caused it or
as a message on the page it returns to. Who is signed in is `accounts.http`'s business.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from django import forms
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from amends.core.errors import AmendsError, NotFound


@require_safe  # GET, and HEAD: what balancers' and monitors' checks send
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database is "down", whatever the driver raised
        return JsonResponse({"status": "error", "database": "unreachable", "detail": type(exc).__name__}, status=503)
    ms = round((time.perf_counter() - started) * 1000, 2)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor, "latency_ms": ms})


# Helpers shared by the pages of every app (each app's views.py stays thin on top of these).


def form_error(form: forms.Form, exc: AmendsError, field_names: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: its detail above the form, its per-field messages next to the
    fields they name (`field_names` maps the service's names to the form's). What the user typed stays."""
    form.add_error(None, exc.detail)
    for name, said in exc.fields.items():
        target = (field_names or {}).get(name, name)
        if target in form.fields and not form.fields[target].widget.is_hidden:
            for message in said:
                form.add_error(target, message)


class Refusal:
    """Whether the service call inside `refusals_as_messages` was refused (its message is already queued)."""

    refused = False


@contextlib.contextmanager
def refusals_as_messages(request: HttpRequest) -> Iterator[Refusal]:
    """A page's POST that calls one service and goes back: a rule's refusal becomes an error message on the
    page it returns to, while not-found stays a 404 (a forged or stale id is not a message)."""
    outcome = Refusal()
    try:
        yield outcome
    except NotFound:
        raise
    except AmendsError as exc:
        messages.error(request, exc.detail)
        outcome.refused = True
