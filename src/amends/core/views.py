"""Liveness: answers 200 with the database reachable, 503 when it is not (for load balancers and monitors)."""

from __future__ import annotations

import time

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach the database is "down", whatever the driver raised
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": type(exc).__name__}, status=503
        )
    ms = round((time.perf_counter() - started) * 1000, 2)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor, "latency_ms": ms})
