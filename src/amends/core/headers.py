"""Security headers on every answer, as a bank's web team expects: a Content-Security-Policy that runs only
our own scripts (no inline script or handler, no third-party origin) and lets no other site frame a page,
and a Permissions-Policy that turns off the browser features Amends never uses. Django's SecurityMiddleware
adds X-Content-Type-Options, Referrer-Policy and, behind the TLS proxy, HSTS (settings).

Styles may be inline (`style-src 'unsafe-inline'`): templates set widths and colours on elements, and a
style cannot run code; docs/decisions/0042-security-headers.md says why this is acceptable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()"


def security_headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    csp = CSP if settings.AMENDS_CSP else ""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if csp:
            response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response

    return middleware
