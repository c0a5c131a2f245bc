"""Cases are changed only through the services (pages and API); the admin shows them read-only."""

from django.contrib import admin

from .models import Case


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("id", "customer", "status", "priority", "owner", "due_at", "opened_at")
    list_filter = ("status", "priority")
    raw_id_fields = ("customer", "owner")
    list_select_related = ("customer", "owner")
