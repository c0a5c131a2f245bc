"""The JSON API's frame: the django-ninja instance (`build_api`) and the one error shape.

Every error leaves as `{"error": code, "detail": text, "fields": {...}}`: our `AmendsError`s as they are,
pydantic's validation errors with their location turned into a dotted field name, unparseable JSON as
`bad_json`, and a missing or wrong token as 401. Who is asking is `accounts.http`'s business: the URL
configuration hands its authentication to `build_api`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from .errors import AmendsError
from .schemas import ErrorOut
from .unavailable import CONNECTION_LOST, RETRY_AFTER_SECONDS
from .unavailable import detail as unavailable_detail


class LocalTimeEncoder(NinjaJSONEncoder):
    """Times leave in the insurer's zone (2026-11-16T09:30:00+08:00), as staff and the contract read them."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat()
        return super().default(o)


class LocalTimeRenderer(JSONRenderer):
    encoder_class = LocalTimeEncoder


# What any operation may answer whatever its own rules, in the one error shape: a missing token (401, not on
# public routes), a role that may not (403), an object outside the caller's scope (404), a stale version (409),
# a body that is not JSON (400/415), refused characters or fields (422), a limit (429), a database that
# cannot be reached (503).
COMMON_ERRORS = {
    400: "The request body is not valid JSON.",
    401: "No token, or an unknown or revoked one.",
    403: "The role may not do this.",
    404: "No such object in the caller's scope.",
    409: "Someone changed it first, or a key was reused.",
    415: "The body is not application/json.",
    422: "Invalid fields or characters, or a business rule refuses.",
    429: "Over a rate limit.",
    503: "The database could not be reached just now: try again after Retry-After seconds.",
}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


class AmendsAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """Every operation declares the error statuses it can answer, in the one error shape."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault("ErrorOut", error)
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                public = not operation.get("security")
                for status, text in COMMON_ERRORS.items():
                    if status == 401 and public:
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": text,
                            "content": {"application/json": {"schema": ERROR_REF}},
                        },
                    )
        return schema


def build_api(*, auth: Any) -> NinjaAPI:
    """The one API instance, authenticating every route with `auth` and answering every error in our shape."""
    api = AmendsAPI(
        title="Amends API",
        version="1",
        description="Service recovery for insurers: complaints, cases, the five recovery steps.",
        urls_namespace="api",
        docs_url="/docs",
        openapi_url="/openapi.json",
        auth=auth,
        renderer=LocalTimeRenderer(),
    )
    for kind, handler in HANDLERS.items():
        api.add_exception_handler(kind, _answering(api, handler))
    return api


def respond(request: HttpRequest, body: Any, *, status: int) -> HttpResponse:
    """A JSON answer rendered as every route's is, for handlers that choose their own status."""
    renderer = LocalTimeRenderer()
    content = renderer.render(request, body, response_status=status)
    return HttpResponse(content, status=status, content_type=renderer.media_type)


# An error as it leaves: status, body, extra headers.
Answer = tuple[int, dict[str, Any], dict[str, str]]


def error_body(code: str, detail: str, fields: dict | None = None) -> dict[str, Any]:
    return {"error": code, "detail": detail, "fields": fields or {}}


def _answering(api: NinjaAPI, handler: Callable[[Any], Answer]) -> Callable[[HttpRequest, Any], HttpResponse]:
    def respond(request: HttpRequest, exc: Any) -> HttpResponse:
        status, body, headers = handler(exc)
        response = api.create_response(request, body, status=status)
        for name, value in headers.items():
            response[name] = value
        return response

    return respond


def _amends_error(exc: AmendsError) -> Answer:
    return exc.status, error_body(exc.code, exc.detail, exc.fields), {}


def _bad_json() -> Answer:
    return 400, error_body("bad_json", _("The request body is not valid JSON.")), {}


def _validation_error(exc: ValidationError) -> Answer:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        if err.get("type") == "json_invalid":
            return _bad_json()
        fields.setdefault(_field_name(err.get("loc", ())), []).append(_field_message(err))
    return 422, error_body("invalid", _("The request has invalid fields."), fields), {}


def _field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc]
    # ninja reports ("body", "<param name>", "customer", "id"): the first two say nothing to a client.
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[2:] if len(parts) > 2 and parts[0] == "body" else parts[1:]
    return ".".join(parts) or "body"


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


def _unauthenticated(exc: AuthenticationError) -> Answer:
    detail = _("Send a valid token: Authorization: Bearer <token>.")
    return 401, error_body("unauthenticated", detail), {"WWW-Authenticate": "Bearer"}


def _http_error(exc: HttpError) -> Answer:
    if exc.status_code == 400:
        return _bad_json()
    return exc.status_code, error_body("error", str(exc)), {}


def _not_found(exc: Http404) -> Answer:
    return 404, error_body("not_found", _("Not found.")), {}


def _database_unavailable(exc: Exception) -> Answer:
    return 503, error_body("database_unavailable", unavailable_detail()), {"Retry-After": str(RETRY_AFTER_SECONDS)}


HANDLERS: dict[type[Exception], Callable[[Any], Answer]] = {
    AmendsError: _amends_error,
    ValidationError: _validation_error,
    AuthenticationError: _unauthenticated,
    HttpError: _http_error,
    Http404: _not_found,
    **dict.fromkeys(CONNECTION_LOST, _database_unavailable),
}
