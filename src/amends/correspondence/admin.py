"""Templates are edited here (audited with before and after, like all reference data); messages are shown
read-only, since only the services and the delivery task change them."""

from django.contrib import admin
from django.http import HttpRequest

from amends.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Message, MessageTemplate


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdmin):
    list_display = ("key", "language", "name", "subject", "updated_at")
    list_filter = ("language", "key")
    search_fields = ("key", "name", "body")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # code sends with these keys: edit the wording instead of removing it


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "direction", "channel", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel", "direction")
    raw_id_fields = ("case", "customer", "actor")
    list_select_related = ("case",)
