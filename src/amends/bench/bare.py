"""A reference server: the project's settings and middleware, one anonymous view that inserts one row.

DESIGN §6 puts "a bare Django view inserting one row" at ~450 req/s on this machine class. Measuring it in the
same run as intake says how much of a complaint's cost is Django itself and how much is ours, and whether the
machine is the one the targets were set on. Served as `amends.bench.bare:application`.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amends.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from amends.core.views import healthz


@csrf_exempt
def insert_one(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert (customer_id, channel, description) VALUES (%s, %s, %s) RETURNING id",
            [1, "hotline", request.body[:200].decode(errors="replace")],
        )
        row = cursor.fetchone()
    return JsonResponse({"id": row[0] if row else None}, status=201)


urlpatterns = [path("bare/insert", insert_one), path("healthz", healthz)]

application = get_wsgi_application()
# This process serves only the reference view (the rest of the project's URLs are not needed here).
settings.ROOT_URLCONF = __name__
