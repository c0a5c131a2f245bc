from django.contrib import admin

from amends.core.admin import AuditedAdmin

from .models import Customer, Policy, ProductLine


class PolicyInline(admin.TabularInline):
    model = Policy
    extra = 0
    fields = ("policy_no", "line", "premium", "insured_persons", "start_date", "end_date", "status", "org_unit")


@admin.register(Customer)
class CustomerAdmin(AuditedAdmin):
    list_display = ("customer_no", "name", "segment", "value", "org_unit")
    list_filter = ("segment",)
    search_fields = ("customer_no", "name", "phone")
    autocomplete_fields = ("org_unit",)
    inlines = [PolicyInline]


@admin.register(Policy)
class PolicyAdmin(AuditedAdmin):
    list_display = ("policy_no", "customer", "line", "premium", "insured_persons", "end_date", "status")
    list_filter = ("line", "status")
    search_fields = ("policy_no", "customer__name")
    autocomplete_fields = ("customer", "org_unit")


@admin.register(ProductLine)
class ProductLineAdmin(AuditedAdmin):
    """The regulator's product lines: labels, order, which coarse line each belongs to and counts by default."""

    list_display = ("code", "name_zh_hans", "name_zh_hant", "name_en", "line", "default_for_line", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("line", "active")
    search_fields = ("code", "name_zh_hans", "name_zh_hant", "name_en")
