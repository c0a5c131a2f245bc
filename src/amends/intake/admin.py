"""The regulator's reason taxonomy as reference data staff keep: business categories (their codes fixed by
`Category`, their labels and order editable) and the reasons under each."""

from django.contrib import admin

from amends.core.admin import AuditedAdmin

from .models import ComplaintReason, ReasonCategory


@admin.register(ReasonCategory)
class ReasonCategoryAdmin(AuditedAdmin):
    list_display = ("code", "name_zh_hans", "name_zh_hant", "name_en", "order")
    list_editable = ("order",)


@admin.register(ComplaintReason)
class ComplaintReasonAdmin(AuditedAdmin):
    list_display = ("code", "category", "name_zh_hans", "name_zh_hant", "name_en", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("category", "active")
    search_fields = ("code", "name_zh_hans", "name_zh_hant", "name_en")
