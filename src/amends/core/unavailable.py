"""A database that cannot be reached just now answers 503 with `Retry-After`, never 500: the API in the one
error shape (`database_unavailable`), a page as a short readable page that needs no database to render.

A connection killed or lost (PostgreSQL restarted, a failover, PgBouncer dropping a backend, SQLite locked)
surfaces as Django's `OperationalError` or `InterfaceError`. Nothing a request wrote is half-kept: its
transaction either committed or rolled back; a client that retries with the same `Idempotency-Key` gets the
complaint that was stored, if it was. Three places catch it: the API's exception handlers (`core.http`), this
middleware for pages, and the project's `handler500` for anything raised outside a view (a session read by a
middleware).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

log = logging.getLogger(__name__)

CONNECTION_LOST = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"


def detail() -> str:
    return _("The database could not be reached just now. Nothing was half-saved: try again in a few seconds.")


def unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    log.warning("database unavailable answering %s %s: %s", request.method, request.path, exc)
    if request.path.startswith(API_PREFIX):
        body = {"error": "database_unavailable", "detail": detail(), "fields": {}}
        response: HttpResponse = JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(render_to_string("503.html", {"detail": detail()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailable:
    """Pages: a view that lost its database connection answers the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return unavailable(request, exc) if isinstance(exc, CONNECTION_LOST) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: a lost connection raised outside a view still answers 503; anything else, Django's 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, CONNECTION_LOST):
        return unavailable(request, exc)
    return django_server_error(request)
