from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from amends.core.admin import AuditedAdmin

from .models import ApiToken, OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("name", "code", "kind", "parent", "region")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "role", "org_unit", "is_active")
    list_filter = ("role", "is_active", "org_unit__kind")
    search_fields = ("username", "display_name")
    autocomplete_fields = ("org_unit",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Amends"), {"fields": ("display_name", "role", "org_unit")}),
    )
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        (_("Amends"), {"fields": ("display_name", "role", "org_unit")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Tokens are issued by `amends token`; here they can only be seen and revoked."""

    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")
    exclude = ("digest",)

    def has_add_permission(self, request):
        return False
