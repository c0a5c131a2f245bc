"""The one error class of Amends: a code, an HTTP status, translated text and the offending fields.

Services raise these; the API renders them once as `{"error", "detail", "fields"}` and pages show the
detail as a message. Nothing else should decide how a business-rule failure looks to a user.
"""

from __future__ import annotations

from typing import Any


class AmendsError(Exception):
    code = "error"
    status = 400

    def __init__(self, detail: Any, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(str(detail))
        self.detail = str(detail)
        if code:
            self.code = code
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}

    def as_json(self) -> dict[str, Any]:
        return {"error": self.code, "detail": self.detail, "fields": self.fields}


class InvalidInput(AmendsError):
    code = "invalid"
    status = 422


class RuleViolation(AmendsError):
    """A request that is well-formed but breaks a business rule (step order, clock, 回避…)."""

    code = "rule_violation"
    status = 422


class NotFound(AmendsError):
    code = "not_found"
    status = 404


class Forbidden(AmendsError):
    code = "forbidden"
    status = 403


class Conflict(AmendsError):
    """Someone else changed the object first, or an idempotency key was reused for another request."""

    code = "conflict"
    status = 409


class TooManyRequests(AmendsError):
    """Over a limit counted by `core.throttle`: try again later."""

    code = "rate_limited"
    status = 429
