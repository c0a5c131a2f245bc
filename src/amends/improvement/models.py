"""Rectifications (溯源整改): a change to the service system that removes a root cause — a touchpoint and,
where known, the cause of its failures — with an owner, a due date and a status. When the change takes
effect (`effective_at`, set when it is done) the failures at that touchpoint before and after it are compared
over windows of the same length (`improvement.rules.windows`), so the fix is seen to work, or not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import OrgUnit
from amends.journeys.models import Touchpoint
from amends.recovery.models import Cause


class RectificationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (RectificationStatus.PLANNED, RectificationStatus.IN_PROGRESS)


class Rectification(models.Model):
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("touchpoint"))
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices, blank=True)
    title = models.CharField(_("what will change"), max_length=200)
    action = models.TextField(_("how"), blank=True)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.PLANNED
    )
    effective_at = models.DateTimeField(_("took effect at"), null=True, blank=True)
    outcome_note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [
            models.Index(fields=["org_unit", "status", "due_date"], name="rectification_unit_idx"),
            models.Index(fields=["touchpoint", "cause"], name="rectification_root_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(effective_at__isnull=False), name="rectification_done_has_time"
            )
        ]

    def __str__(self) -> str:
        return self.title
