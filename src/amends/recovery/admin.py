"""Cases are changed only through the services (pages and API); the admin shows them read-only."""

from django.contrib import admin

from amends.core.admin import ReadOnlyAdmin

from .models import Case


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "customer", "status", "priority", "owner", "due_at", "opened_at")
    list_filter = ("status", "priority")
    raw_id_fields = ("customer", "owner")
    list_select_related = ("customer", "owner")
