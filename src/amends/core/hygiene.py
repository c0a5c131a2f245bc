"""Every request's input checked before any view or database sees it: a NUL byte or an unpaired surrogate in
the path, a query parameter, a form field or a JSON body is refused with 422 (PostgreSQL cannot store either,
SQLite silently would); a body sent to the API must be JSON (415 otherwise), as the contract declares.

API answers take the one error shape (`{"error","detail","fields"}`); pages get a short readable page.
Routes that report problems item by item (a batch of events: the valid ones are kept) check the same
characters themselves and are named in `AMENDS_INPUT_CHECKED_BY_VIEW`. Bounds that depend on meaning (a
page number, a date, a key's length) are the schemas' and services' job.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from .inputs import text_problem

API_PREFIX = "/api/"
JSON_TYPES = ("application/json",)
# Bodies an API route may declare besides JSON (file uploads).
OTHER_API_TYPES = ("multipart/form-data",)


def _strings(value: Any, name: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, name)
            yield from _strings(item, f"{name}.{key}" if name else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, name)


def _json_body(request: HttpRequest) -> Any:
    body = request.body
    # Only an escape or a raw NUL can carry what we refuse: skip the second parse for every other body.
    if b"\\u" not in body and b"\x00" not in body:
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None  # malformed JSON is the API's own 400 `bad_json`


def problems(request: HttpRequest) -> dict[str, list[str]]:
    """The offending inputs, by field name (empty when the request is clean)."""
    found: dict[str, list[str]] = {}

    def check(items: Iterator[tuple[str, str]]) -> None:
        for name, value in items:
            problem = text_problem(value)
            if problem:
                message = (
                    _("Contains a NUL character, which cannot be stored.")
                    if problem == "nul"
                    else _("Contains an invalid character (an unpaired surrogate).")
                )
                found.setdefault(name or "body", [message])

    check(iter([("path", request.path)]))
    check((k, v) for k, values in request.GET.lists() for v in [k, *values])
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        content_type = request.content_type or ""
        if content_type in JSON_TYPES or content_type.endswith("+json"):
            check(_strings(_json_body(request), ""))
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            check((k, v) for k, values in request.POST.lists() for v in [k, *values])
            check((k, f.name or "") for k, files in request.FILES.lists() for f in files)
    return found


def _api_type_refused(request: HttpRequest) -> bool:
    if not request.path.startswith(API_PREFIX) or request.method not in ("POST", "PUT", "PATCH"):
        return False
    if not request.META.get("CONTENT_LENGTH") and not request.body:
        return False
    content_type = request.content_type or ""
    return not (content_type in JSON_TYPES or content_type.endswith("+json") or content_type in OTHER_API_TYPES)


def _refuse(request: HttpRequest, status: int, code: str, detail: str, fields: dict[str, list[str]]) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": code, "detail": detail, "fields": fields}, status=status)
    items = "".join(f"<li>{escape(name)}: {escape(' '.join(msgs))}</li>" for name, msgs in fields.items())
    page = f"<!doctype html><meta charset=utf-8><title>{status}</title><h1>{escape(detail)}</h1><ul>{items}</ul>"
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def input_hygiene(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if _api_type_refused(request):
            return _refuse(
                request,
                415,
                "unsupported_media_type",
                _("Send the request body as JSON (Content-Type: application/json)."),
                {"Content-Type": [_("Use application/json.")]},
            )
        exempt = request.path.startswith(tuple(settings.AMENDS_INPUT_CHECKED_BY_VIEW))
        found = {} if exempt else problems(request)
        if found:
            return _refuse(request, 422, "invalid", _("The request holds characters that cannot be stored."), found)
        return get_response(request)

    return middleware
