"""The append-only audit log: who did what, when, with the object's state before and after.

Every service write adds its entries in the same transaction (see `amends.core.audit`). The application
cannot change or remove an entry: `save()` refuses updates, deletes raise, and a database trigger refuses
UPDATE and DELETE on both SQLite and PostgreSQL (migration 0002, `triggers.py`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .triggers import AppendOnlyTriggers


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be deleted")


class AppendOnly(models.Model):
    """Rows that are inserted once and never changed or removed by the application (the database's triggers
    refuse it too: see `amends.audit.triggers`)."""

    objects = AppendOnlyQuerySet.as_manager()
    # The database triggers its migration creates; `flush` lifts and restores them (see `amends.core`).
    triggers: ClassVar[AppendOnlyTriggers]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} cannot be deleted")


class AuditEntry(AppendOnly):
    triggers = AppendOnlyTriggers("audit_auditentry", "audit", "audit entries are append-only")

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
