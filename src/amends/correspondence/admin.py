"""Templates are edited here (audited with before and after, like all reference data); messages are shown
read-only, since only the services and the delivery task change them."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from amends.core.admin import AuditedAdmin, ReadOnlyAdmin

from . import template_store
from .models import Attachment, Message, MessageTemplate


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdmin):
    list_display = ("key", "language", "name", "subject", "updated_at")
    list_filter = ("language", "key")
    search_fields = ("key", "name", "body")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # code sends with these keys: edit the wording instead of removing it

    def save_model(self, request: Any, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # This process composes with the new wording at once.
        transaction.on_commit(template_store.invalidate, robust=True)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "direction", "channel", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel", "direction")
    raw_id_fields = ("case", "customer", "actor")
    list_select_related = ("case",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "original_name", "content_type", "size", "source", "created_at")
    list_filter = ("source", "content_type")
    raw_id_fields = ("case", "step", "message", "uploaded_by")
    list_select_related = ("case",)
