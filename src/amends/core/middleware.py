"""`X-Served-By`: which web node answered, when `AMENDS_NODE_NAME` names it — for the balancer's operators and
the tests that prove requests of one session are served by several nodes."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def served_by(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    name = settings.AMENDS_NODE_NAME

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response["X-Served-By"] = name
        return response

    return middleware
