"""Alerts (预警): a signal that something is going wrong, or about to, for someone to act on.

One alert per rule and subject while it is open (deduplicated by a partial unique constraint), with an
owner, a severity and a life of its own: open → acknowledged → resolved. The rules that raise alerts live
with what they watch (a promise due soon lives in `promises`); the early-warning rules over events come
with issue 5 and raise through the same service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import OrgUnit
from amends.customers.models import Customer
from amends.recovery.models import Case


class Severity(models.IntegerChoices):
    INFO = 1, _("Information")
    WARNING = 2, _("Warning")
    CRITICAL = 3, _("Critical")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Alert(models.Model):
    rule = models.CharField(_("rule"), max_length=48)
    subject_type = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=64)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.WARNING)
    title = models.CharField(_("title"), max_length=300)
    detail = models.JSONField(default=dict, blank=True)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("owner"),
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField(_("raised at"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            models.Index(fields=["owner", "-raised_at"], condition=~Q(status="resolved"), name="alert_live_owner_idx"),
            models.Index(
                fields=["org_unit", "-raised_at"], condition=~Q(status="resolved"), name="alert_live_unit_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id"],
                condition=~Q(status="resolved"),
                name="one_live_alert_per_rule_and_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule}:{self.subject_type}:{self.subject_id}"
