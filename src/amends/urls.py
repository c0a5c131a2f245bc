"""URL map: pages, the JSON API under /api/v1/, the admin, and /healthz."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from amends.accounts.http import BearerToken
from amends.core.http import build_api
from amends.core.views import healthz
from amends.correspondence.api import router as correspondence_router
from amends.customers.api import router as customers_router
from amends.discretion.api import router as discretion_router
from amends.followup.api import router as followup_router
from amends.followup.inbound_api import router as inbound_router
from amends.improvement.api import router as improvement_router
from amends.insights.api import router as insights_router
from amends.intake.api import router as intake_router
from amends.promises.api import router as promises_router
from amends.recovery.api import router as recovery_router
from amends.search.api import router as search_router
from amends.warning.api import events_router
from amends.warning.api import router as warning_router

# The Django admin in the house's name and language, with a way back to the staff pages.
admin.site.site_header = _("Amends administration")
admin.site.site_title = _("Amends administration")
admin.site.index_title = _("Reference data and records")
admin.site.site_url = "/"

api = build_api(auth=BearerToken())
api.add_router("", intake_router)
api.add_router("", recovery_router)
api.add_router("", customers_router)
api.add_router("", promises_router)
api.add_router("", warning_router)
api.add_router("", improvement_router)
api.add_router("", insights_router)
api.add_router("", events_router)
api.add_router("", followup_router)
api.add_router("", discretion_router)
api.add_router("", correspondence_router)
api.add_router("", search_router)
api.add_router("", inbound_router)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("amends.accounts.urls")),
    path("", include("amends.recovery.urls")),
    path("", include("amends.intake.urls")),
    path("", include("amends.customers.urls")),
    path("", include("amends.promises.urls")),
    path("", include("amends.warning.urls")),
    path("", include("amends.text.urls")),
    path("", include("amends.improvement.urls")),
    path("", include("amends.insights.urls")),
    path("", include("amends.followup.urls")),
    path("", include("amends.discretion.urls")),
    path("", include("amends.correspondence.urls")),
    path("", include("amends.search.urls")),
    path("", include("amends.assembly.waiting")),
]

# A lost database connection raised outside a view answers 503 (core.unavailable), anything else Django's 500.
handler500 = "amends.core.unavailable.server_error"
