"""The JSON API's frame: the django-ninja instance, bearer authentication and the one error shape.

Every error leaves as `{"error": code, "detail": text, "fields": {...}}`: our `AmendsError`s as they are,
pydantic's validation errors with their location turned into a dotted field name, unparseable JSON as
`bad_json`, and a missing or wrong token as 401.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer

from .errors import AmendsError

if TYPE_CHECKING:
    from amends.accounts.models import User


class LocalTimeEncoder(NinjaJSONEncoder):
    """Times leave in the insurer's zone (2026-11-16T09:30:00+08:00), as staff and the contract read them."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat()
        return super().default(o)


class LocalTimeRenderer(JSONRenderer):
    encoder_class = LocalTimeEncoder


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from amends.accounts.tokens import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Amends API",
    version="1",
    description="Service recovery for insurers: complaints, cases, the five recovery steps.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=BearerToken(),
    renderer=LocalTimeRenderer(),
)


def actor_of(request: HttpRequest) -> User:
    """The authenticated staff member of an API request (set by `BearerToken`)."""
    return cast("User", request.auth)  # type: ignore[attr-defined]


def error_response(
    request: HttpRequest, status: int, code: str, detail: str, fields: dict | None = None
) -> HttpResponse:
    return api.create_response(request, {"error": code, "detail": detail, "fields": fields or {}}, status=status)


def _field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc]
    # ninja reports ("body", "<param name>", "customer", "id"): the first two say nothing to a client.
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[2:] if len(parts) > 2 and parts[0] == "body" else parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(AmendsError)
def _amends_error(request: HttpRequest, exc: AmendsError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.detail, exc.fields)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        if err.get("type") == "json_invalid":
            return error_response(request, 400, "bad_json", _("The request body is not valid JSON."))
        fields.setdefault(_field_name(err.get("loc", ())), []).append(_field_message(err))
    return error_response(request, 422, "invalid", _("The request has invalid fields."), fields)


def _field_message(err: dict[str, Any]) -> str:
    """pydantic's message in the request's language for the common cases; its own English text otherwise."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind.startswith("decimal") or kind in {"float_parsing", "float_type"}:
        return _("Enter an amount, e.g. 300.00.")
    if kind.startswith("datetime"):
        return _("Enter a date and time, e.g. 2026-11-01T09:30:00+08:00.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind == "literal_error" and "expected" in ctx:
        return _("Choose one of: %(choices)s.") % {"choices": ctx["expected"]}
    if kind == "string_too_long" and "max_length" in ctx:
        return _("At most %(max)s characters.") % {"max": ctx["max_length"]}
    return str(err.get("msg", ""))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(request, 401, "unauthenticated", _("Send a valid token: Authorization: Bearer <token>."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return error_response(request, 400, "bad_json", _("The request body is not valid JSON."))
    return error_response(request, exc.status_code, "error", str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", _("Not found."))
