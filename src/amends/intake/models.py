"""Complaints (投诉) and the regulatory clock.

A complaint is the customer's own report on a channel, with their request (诉求) restated and confirmed. It
starts the clock of 银行业保险业消费投诉处理管理办法 (2020): decide and tell the complainant within 15 days of
receipt, 30 for a complex complaint (with a reason), a further 30 with a supervisor's approval. The clock is
computed in `intake.rules`; `due_at` stores its current answer. An `Idempotency-Key` is unique, so a retried
submission can never create a second complaint. A complaint imported from another system's history
(`amends import complaints`) keeps the system it came from and its reference there (`source`, `external_ref`):
unique together, so importing the same file twice records each complaint once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.customers.models import Customer, Line, Policy
from amends.journeys.models import Touchpoint
from amends.recovery.models import Case, reference


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    COUNTER = "counter", _("Counter")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Web portal")
    APP = "app", _("App / mini-program")
    LETTER = "letter", _("Letter")
    REGULATOR = "regulator", _("Regulator transfer (12378)")
    SOCIAL = "social", _("Social media")
    SURVEY = "survey", _("Survey")
    CALLBACK = "callback", _("Callback")
    STAFF = "staff", _("Staff report")
    WARNING = "warning", _("Early warning")


class Category(models.TextChoices):
    """The regulator's business categories for complaint statistics (DESIGN §5)."""

    SALES = "sales", _("Sales")
    CLAIMS = "claims", _("Claims")
    POLICY_SERVICE = "policy_service", _("Policy service")
    SURRENDER = "surrender", _("Surrender")
    RENEWAL = "renewal", _("Renewal")
    OTHER = "other", _("Other")


class Result(models.TextChoices):
    """The decision on a complaint as the 2020 measure's decision letter states it (支持 / 部分支持 / 不支持)."""

    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


class Complaint(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("case"))
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("customer"),
        db_index=False,  # complaint_customer_idx leads with it
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due"))
    extension_level = models.PositiveSmallIntegerField(_("extensions"), default=0)
    policy = models.ForeignKey(
        Policy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policy"),
        db_index=False,  # complaint_policy_idx
    )
    policy_no = models.CharField(_("policy number"), max_length=40, blank=True)
    claim_no = models.CharField(_("claim number"), max_length=40, blank=True)
    touchpoint = models.ForeignKey(
        Touchpoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("touchpoint"),
    )
    description = models.TextField(_("what happened"))
    request = models.TextField(_("the customer's request"))
    # Blank until someone (staff, a text suggestion they accept, or an importer's mapping) codes it.
    category = models.CharField(_("business category"), max_length=16, choices=Category.choices, blank=True)
    request_confirmed = models.BooleanField(_("request restated and confirmed"), default=False)
    loss_amount = models.DecimalField(_("loss amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member complained about"),
        db_index=False,  # complaint_subject_idx
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # complaint_idempotency_key
    request_digest = models.CharField(max_length=64, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    line = models.CharField(_("line"), max_length=16, choices=Line.choices, blank=True)
    region = models.CharField(_("region"), max_length=50, blank=True)
    # What was decided for the complainant (imported history: the source's finding); blank until decided or
    # when the source did not say. `at_fault`: whether the insurer was found at fault (None: not recorded).
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    at_fault = models.BooleanField(_("insurer at fault"), null=True, blank=True)
    # Blank for complaints received in Amends; for imported history the system it came from and its key there.
    source = models.CharField(_("imported from"), max_length=16, blank=True)
    external_ref = models.CharField(_("reference in the source"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["customer", "received_at"], name="complaint_customer_idx"),
            models.Index(fields=["due_at"], condition=Q(decided_at__isnull=True), name="complaint_undecided_due_idx"),
            models.Index(fields=["received_at"], name="complaint_received_idx"),
            # Looked up by a policy or a person, never by having none: complaints without (all imported
            # history) stay out of these.
            models.Index(fields=["policy"], condition=Q(policy__isnull=False), name="complaint_policy_idx"),
            models.Index(fields=["subject"], condition=Q(subject__isnull=False), name="complaint_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(extension_level__lte=2), name="complaint_at_most_two_extensions"),
            models.CheckConstraint(condition=Q(due_at__gt=models.F("received_at")), name="complaint_due_after_receipt"),
            models.UniqueConstraint(
                fields=["source", "external_ref"], condition=~Q(source=""), name="complaint_imported_once"
            ),
            models.CheckConstraint(condition=Q(source="") | ~Q(external_ref=""), name="complaint_import_has_ref"),
            # Only complaints sent with a client key are in it (no LIKE index, no entries for the others).
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="complaint_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return reference("TS", self.received_at, self.pk)

    @property
    def imported(self) -> bool:
        return bool(self.source)


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ClockExtension(models.Model):
    """An extension of a complaint's deadline: level 1 (to 30 days, with a reason) or level 2 (+30, approved)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="extensions")
    level = models.PositiveSmallIntegerField(_("level"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=ExtensionStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "level"],
                condition=~Q(status="rejected"),
                name="one_live_extension_per_level",
            ),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="extension_level_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} +{self.level}"
