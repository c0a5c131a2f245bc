"""Admin edits of reference data go to the audit log too, with before and after."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms.models import model_to_dict

from amends.audit.models import AuditEntry

from . import audit


def _state(obj: models.Model) -> dict[str, Any]:
    return {k: audit.plain(v) for k, v in model_to_dict(obj).items() if not isinstance(v, list | tuple)}


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: Any, obj: models.Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = _state(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
            super().save_model(request, obj, form, change)
            # What the database now holds, not what the form said: an edit a save() dropped shows as none.
            after = _state(type(obj)._default_manager.get(pk=obj.pk))
            action = f"admin.{'change' if change else 'add'}"
            audit.record(audit.entry(actor=request.user, action=action, obj=obj, before=before, after=after))

    def delete_model(self, request: Any, obj: models.Model) -> None:
        with transaction.atomic():
            audit.record(audit.entry(actor=request.user, action="admin.delete", obj=obj, before=_state(obj)))
            super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows only services write (cases, the audit log): visible to admins, never edited here."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, readable by admins and never edited (the audit app below holds only the table)."""

    list_display = ("at", "actor", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "action")
    date_hierarchy = "at"
