"""Discretion is changed only through its services (pages and API: a policy change is a new version, the
ledger is append-only); the admin shows it read-only."""

from django.contrib import admin

from amends.core.admin import ReadOnlyAdmin

from .models import Approval, AuthorityPolicy, DiscretionRequest, LedgerEntry


@admin.register(AuthorityPolicy)
class AuthorityPolicyAdmin(ReadOnlyAdmin):
    list_display = ("role", "org_unit", "kind", "version", "effective_from", "per_action_limit", "actor_budget")
    list_filter = ("role", "kind")
    list_select_related = ("org_unit",)


@admin.register(DiscretionRequest)
class DiscretionRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "customer", "segment", "kind", "amount", "status", "requested_by", "requested_at")
    list_filter = ("status", "kind", "segment")
    raw_id_fields = ("case", "customer", "requested_by")
    list_select_related = ("case", "customer", "requested_by")


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ("id", "request", "approver", "level", "status", "assigned_at", "due_at")
    list_filter = ("status",)
    list_select_related = ("request", "approver")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "outcome", "kind", "amount", "actor", "role", "org_unit", "policy")
    list_filter = ("outcome", "kind", "role")
    list_select_related = ("actor", "org_unit", "policy")
