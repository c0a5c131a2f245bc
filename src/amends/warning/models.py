"""Alerts (预警): a signal that something is going wrong, or about to, for someone to act on.

One alert per rule and subject while it is open (deduplicated by a partial unique constraint), with an
owner (a unit and a role, or a person), a severity and a life of its own: open → acknowledged → resolved.
The rules that raise alerts are classes in `warning.rules`, configured by `RuleConfig` rows; apps above
(promises) register their own. Events from other systems, rule configuration and playbooks live here too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import OrgUnit
from amends.core import texts
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
    # The title as first written, and (core.texts) its message id and parameters, rendered in the reader's language.
    title = models.CharField(_("title"), max_length=300)
    title_text = models.JSONField(default=dict, blank=True)
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
    owner_role = models.CharField(_("owner role"), max_length=20, blank=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    touchpoint = models.ForeignKey(
        "journeys.Touchpoint", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (alerts raised before titles were kept as messages: as written)."""
        return texts.render(self.title_text, self.title)

    def titled(self, title: str) -> None:
        self.title, self.title_text = title[:300], texts.stored(title)


class Event(models.Model):
    """A fact another system reports (服务事件): a claim reported, an assessor arrived, a parts list handed over.

    Written only in bulk by `event_ingest` (one COPY or multi-row INSERT per batch), never row by row, and never
    changed. `event_id` is the sender's own id: sending it again is accepted and ignored. References stay as
    the sender's text (customer number, policy and claim numbers, touchpoint code) so ingesting needs no lookup;
    the rules resolve them for the few rows they act on. Indexed only for what reads them (every index costs
    each ingested event): by claim and type (the rules), by policy (renewals, lapses), by type (the sweeps) and
    by touchpoint (follow-up sampling), each with time.
    """

    event_id = models.CharField(max_length=64, primary_key=True)
    type = models.CharField(_("type"), max_length=64)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"))
    customer_ref = models.CharField(_("customer number"), max_length=32, blank=True)
    policy_no = models.CharField(_("policy number"), max_length=40, blank=True)
    claim_no = models.CharField(_("claim number"), max_length=40, blank=True)
    touchpoint = models.CharField(_("touchpoint"), max_length=64, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # The type too: the on-ingest rules ask for given types of the batch's claims.
            models.Index(
                fields=["claim_no", "type", "occurred_at"], condition=~Q(claim_no=""), name="event_claim_type_idx"
            ),
            models.Index(fields=["policy_no", "occurred_at"], condition=~Q(policy_no=""), name="event_policy_idx"),
            models.Index(fields=["type", "occurred_at"], name="event_type_time_idx"),
            models.Index(
                fields=["touchpoint", "occurred_at"], condition=~Q(touchpoint=""), name="event_touchpoint_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.event_id}"


class RuleConfig(models.Model):
    """One configured early-warning rule (预警规则): which rule class, its thresholds, where it applies.

    `rule` names a class in the rule registry (`warning.rules`); one class may be configured several times
    (two stage-duration limits). `key` is what alerts carry as their rule. Edited in the admin (audited);
    `opens_case` makes the rule record the failure and open or join the customer's case itself.
    """

    key = models.SlugField(_("key"), max_length=48, unique=True)
    rule = models.CharField(_("rule"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("thresholds"), default=dict, blank=True)
    touchpoints = models.JSONField(_("touchpoints"), default=list, blank=True, help_text=_("Empty: every touchpoint."))
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.WARNING)
    owner_role = models.CharField(_("owner role"), max_length=20, default="handler")
    opens_case = models.BooleanField(_("opens failure and case itself"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("early-warning rule")
        verbose_name_plural = _("early-warning rules")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Playbook(models.Model):
    """A prepared recovery plan for one touchpoint (补救预案): what to say, what to fix, what to offer, when to
    follow up. Pre-fills the case opened from an alert; edited by quality managers (versioned, audited)."""

    touchpoint = models.OneToOneField(
        "journeys.Touchpoint", on_delete=models.PROTECT, related_name="playbook", verbose_name=_("touchpoint")
    )
    apology = models.TextField(_("apology wording"))
    fix_actions = models.TextField(_("fix actions"), help_text=_("One action per line."))
    atonement = models.TextField(_("atonement"), blank=True)
    atonement_limit = models.DecimalField(
        _("atonement limit (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    follow_up_days = models.PositiveSmallIntegerField(_("follow up after (days)"), default=3)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return str(self.touchpoint_id)

    @property
    def fix_action_list(self) -> list[str]:
        return [line.strip() for line in self.fix_actions.splitlines() if line.strip()]


# Alerts other apps raise without a configurable rule: their names, so the inbox never shows a code.
SYSTEM_RULE_NAMES = {
    "callback_dissatisfied": _("Dissatisfied on a callback"),
    "discretion_approval": _("Discretion waiting for approval"),
    "discretion_decided": _("Discretion request decided"),
    "follow_up_not_recovered": _("Not recovered at follow-up"),
    "text.distress": _("Distress in the complaint's words"),
    "text.escalation": _("Escalation flag in the complaint's words"),
}
