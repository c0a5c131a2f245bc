"""The lexicon in the admin: quality managers add or retire terms without a deploy; every edit is audited
and this process reads the new lexicon at once (others within AMENDS_TEXT_LEXICON_CHECK_SECONDS)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from amends.core.admin import AuditedAdmin, ReadOnlyAdmin

from . import lexicon
from .models import ComplaintCode, LexiconTerm, TextModel


@admin.register(LexiconTerm)
class LexiconTermAdmin(AuditedAdmin):
    list_display = ("term", "kind", "flag", "is_pattern", "active", "updated_at")
    list_filter = ("kind", "flag", "active", "is_pattern")
    search_fields = ("term", "note")

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        lexicon.invalidate()

    def delete_model(self, request: Any, obj: Any) -> None:
        super().delete_model(request, obj)
        lexicon.invalidate()


@admin.register(ComplaintCode)
class ComplaintCodeAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "field", "code", "suggested", "outcome", "actor", "at")
    list_filter = ("field", "outcome")


@admin.register(TextModel)
class TextModelAdmin(ReadOnlyAdmin):
    list_display = ("id", "trained_at", "trained_by", "examples", "seconds")
    exclude = ("blob",)
