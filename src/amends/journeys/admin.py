from django.contrib import admin

from amends.core.admin import AuditedAdmin

from .models import Journey, Touchpoint


class TouchpointInline(admin.TabularInline):
    model = Touchpoint
    extra = 0
    fields = ("code", "names", "criticality", "encounter", "focus_points", "position", "active")


@admin.register(Journey)
class JourneyAdmin(AuditedAdmin):
    list_display = ("code", "name", "position")
    inlines = [TouchpointInline]


@admin.register(Touchpoint)
class TouchpointAdmin(AuditedAdmin):
    list_display = ("code", "name", "journey", "criticality", "encounter", "active")
    list_filter = ("journey", "criticality", "encounter", "active")
    search_fields = ("code",)
