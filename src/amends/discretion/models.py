"""Bounded authority on the front line (应变权): who may put things right for a customer, and for how much.

`AuthorityPolicy` says, per role, org unit (and the units below it) and kind of discretion, the per-action
limit and the per-period budgets; a change is a new version with its effective date, never an edit.
`DiscretionRequest` is one use asked for on a case; `Approval` routes one above the asker's authority up the
org tree; `LedgerEntry` is the append-only record of every grant, refusal and decision, with the policy
version that decided it. Budgets are sums over the ledger. The decisions themselves live in `rules.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import OrgUnit, Role
from amends.audit.models import AppendOnly
from amends.audit.triggers import AppendOnlyTriggers
from amends.customers.models import Customer
from amends.recovery.models import Case


class Kind(models.TextChoices):
    CASH = "cash", _("Cash compensation")
    PREMIUM_DISCOUNT = "premium_discount", _("Premium discount")
    VOUCHER = "voucher", _("Voucher or gift")
    WAIVER = "waiver", _("Fee or deduction waiver")
    UPGRADE = "upgrade", _("Service upgrade")
    RULE_EXCEPTION = "rule_exception", _("Rule exception")


# Kinds that always move money or value; an upgrade or a rule exception may cost nothing.
MONEY_KINDS = {Kind.CASH, Kind.PREMIUM_DISCOUNT, Kind.VOUCHER, Kind.WAIVER}


class PolicyRole(models.TextChoices):
    """Staff roles, and `system`: grants the software makes itself (a portal complainant's token of thanks)."""

    FRONTLINE = Role.FRONTLINE.value, Role.FRONTLINE.label
    HANDLER = Role.HANDLER.value, Role.HANDLER.label
    SUPERVISOR = Role.SUPERVISOR.value, Role.SUPERVISOR.label
    QUALITY_MANAGER = Role.QUALITY_MANAGER.value, Role.QUALITY_MANAGER.label
    ADMIN = Role.ADMIN.value, Role.ADMIN.label
    SYSTEM = "system", _("System")


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class AuthorityPolicy(models.Model):
    """One version of the authority of a role in an org unit and its subtree (a nearer unit's own policy wins)."""

    role = models.CharField(_("role"), max_length=20, choices=PolicyRole.choices)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateTimeField(_("effective from"))
    per_action_limit = models.DecimalField(_("limit per action"), max_digits=12, decimal_places=2)
    actor_budget = models.DecimalField(
        _("budget per person"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("Empty: none.")
    )
    unit_budget = models.DecimalField(
        _("budget per unit"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("Empty: none.")
    )
    period = models.CharField(_("budget period"), max_length=8, choices=Period.choices, default=Period.MONTH)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("authority policy")
        verbose_name_plural = _("authority policies")
        indexes = [models.Index(fields=["kind", "role", "org_unit", "effective_from"], name="policy_lookup_idx")]
        constraints = [
            models.UniqueConstraint(fields=["role", "org_unit", "kind", "version"], name="policy_version_once"),
            models.CheckConstraint(condition=Q(per_action_limit__gte=0), name="policy_limit_not_negative"),
            models.CheckConstraint(
                condition=Q(actor_budget__isnull=True) | Q(actor_budget__gte=0), name="policy_actor_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(unit_budget__isnull=True) | Q(unit_budget__gte=0), name="policy_unit_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}@{self.org_unit_id} {self.kind} v{self.version}"


class RequestStatus(models.TextChoices):
    GRANTED = "granted", _("Granted on the spot")
    REFUSED = "refused", _("Refused")
    PENDING = "pending_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Origin(models.TextChoices):
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")


class DiscretionRequest(models.Model):
    """One use of discretion asked for a customer: what, how much, why, and the three answers that decide it."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="discretion", verbose_name=_("case")
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    segment = models.CharField(_("segment"), max_length=16)  # the customer's segment when asked (the report's key)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.STAFF)
    source_ref = models.CharField(max_length=80, blank=True)  # a system grant's own key (idempotent retries)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=PolicyRole.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    customer_at_fault = models.BooleanField(_("the customer is at fault"))
    extra_cost = models.BooleanField(_("it costs the company something extra"))
    breaches_regulation = models.BooleanField(_("it would breach a law or regulation"))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices)
    reasons = models.JSONField(default=list, blank=True)  # why it went the way it did (rules.Decision.reasons)
    requested_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_seconds = models.PositiveIntegerField(null=True, blank=True)  # requested → decided, for the report

    class Meta:
        verbose_name = _("discretion request")
        verbose_name_plural = _("discretion requests")
        indexes = [
            models.Index(fields=["case", "requested_at"], name="discretion_case_idx"),
            models.Index(fields=["segment", "requested_at"], name="discretion_segment_idx"),
            models.Index(fields=["org_unit", "requested_at"], name="discretion_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="discretion_amount_not_negative"),
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="discretion_source_ref_once"
            ),
            models.CheckConstraint(
                condition=Q(status="pending_approval") | Q(decided_at__isnull=False), name="discretion_decided_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ¥{self.amount} ({self.status})"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ESCALATED = "escalated", _("Escalated")


class Approval(models.Model):
    """A request above the asker's authority, waiting on one superior; escalating makes a new row one level up."""

    request = models.ForeignKey(DiscretionRequest, on_delete=models.PROTECT, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="discretion_approvals"
    )
    level = models.PositiveSmallIntegerField(default=1)
    assigned_at = models.DateTimeField(_("assigned at"))
    due_at = models.DateTimeField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        indexes = [
            models.Index(
                fields=["approver", "assigned_at"], condition=Q(status="pending"), name="approval_waiting_idx"
            ),
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="approval_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(status="pending"), name="one_waiting_approval_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"approval {self.pk} ({self.status})"


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    REFERRED = "referred", _("Sent for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# What a budget counts: value actually given.
SPENDING = [Outcome.GRANTED, Outcome.APPROVED]


class LedgerEntry(AppendOnly):
    """One decision about a request, never changed (triggers refuse UPDATE and DELETE, migration 0002).

    `actor`, `role` and `org_unit` are whose authority decided it (the asker for a grant on the spot, the
    approver for an approval), so budgets are sums of their `granted`/`approved` entries.
    """

    triggers = AppendOnlyTriggers("discretion_ledgerentry", "ledger", "ledger entries are append-only")

    at = models.DateTimeField(_("at"))
    request = models.ForeignKey(DiscretionRequest, on_delete=models.PROTECT, related_name="ledger")
    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=PolicyRole.choices)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(AuthorityPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reasons = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(
                fields=["actor", "kind", "at"], condition=Q(outcome__in=SPENDING), name="ledger_actor_spend_idx"
            ),
            models.Index(
                fields=["org_unit", "role", "kind", "at"],
                condition=Q(outcome__in=SPENDING),
                name="ledger_unit_spend_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome} {self.kind} ¥{self.amount}"
