"""Promises (承诺): what someone told a customer would happen, and by when (信度, reliability).

A promise is made with a due time, then settled: kept, broken, or renegotiated to a new due time with the
customer's consent. A renegotiation is a revision, not an edit: `PromiseRevision` keeps every due time the
customer was given. `fulfilled_at` (when it was really done) feeds realistic promising (`promises.rules`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import OrgUnit
from amends.customers.models import Customer, Policy
from amends.journeys.models import Touchpoint
from amends.recovery.models import Case


class PromiseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class Promise(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="promises", verbose_name=_("customer")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="promises", verbose_name=_("case")
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    claim_no = models.CharField(_("claim number"), max_length=40, blank=True)
    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("touchpoint")
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    text = models.TextField(_("what was promised"))
    channel = models.CharField(_("channel"), max_length=16)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="promises_made")
    made_at = models.DateTimeField(_("made at"))
    first_due_at = models.DateTimeField(_("first due time"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=PromiseStatus.choices, default=PromiseStatus.OPEN)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    renegotiations = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="open"), name="promise_open_due_idx"),
            models.Index(fields=["made_by", "due_at"], condition=Q(status="open"), name="promise_open_owner_due_idx"),
            models.Index(fields=["touchpoint", "org_unit", "made_at"], name="promise_similar_idx"),
            models.Index(fields=["customer", "made_at"], name="promise_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=models.F("made_at")), name="promise_due_after_made"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(settled_at__isnull=False), name="promise_settled_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class RevisionKind(models.TextChoices):
    MADE = "made", _("Made")
    RENEGOTIATED = "renegotiated", _("Renegotiated")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class PromiseRevision(models.Model):
    """One event in a promise's life; never changed. A renegotiation records the customer's consent."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=16, choices=RevisionKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()
    customer_consent = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="renegotiated") | Q(customer_consent=True), name="renegotiation_needs_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.promise_id} {self.kind}"
