"""Customers (客户) and their policies (保单).

A customer belongs to the org unit that serves them, which decides who may see them. `value` is the
customer's annual premium across policies, kept up to date by the services that change policies; with
the segment it weighs a case's priority. Contact details are masked for roles that do not need them
(`customers.presenters.masked_phone`).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import OrgUnit
from amends.core.labels import Labelled


class Segment(models.TextChoices):
    KEY_ACCOUNT = "key_account", _("Key account")
    INDIVIDUAL = "individual", _("Individual")
    TELESALES = "telesales", _("Telesales")
    ONLINE = "online", _("Online")
    GROUP = "group", _("Group")


class Customer(models.Model):
    customer_no = models.CharField(_("customer number"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    segment = models.CharField(_("segment"), max_length=16, choices=Segment.choices, default=Segment.INDIVIDUAL)
    value = models.DecimalField(
        _("annual premium"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    since = models.DateField(_("customer since"), null=True, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="customers", verbose_name=_("org unit")
    )
    created_at = models.DateTimeField(_("created at"))
    # Blank for customers entered in Amends. Imported history names the source system: such a "customer" is
    # the complainant of a historical complaint, often not identified in the source at all.
    source = models.CharField(_("imported from"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="customer_value_not_negative"),
            # A constraint, not `unique=True`, which on PostgreSQL adds a LIKE index no query uses.
            models.UniqueConstraint(fields=["customer_no"], name="customer_no_unique"),
        ]
        # Name search is a prefix match; the pattern operator class lets PostgreSQL use the index for it.
        indexes = [
            models.Index(fields=["name"], name="customer_name_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # Looked up by a phone number, never by a blank one: the many customers without one (all imported
            # history) stay out of it.
            models.Index(fields=["phone"], condition=~models.Q(phone=""), name="customer_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Line(models.TextChoices):
    AUTO = "auto", _("Auto")
    HEALTH = "health", _("Health")
    LIFE = "life", _("Life")
    PROPERTY = "property", _("Property")
    ACCIDENT = "accident", _("Accident")


class ProductLine(Labelled):
    """A product line as the regulator's bulletins publish them (车险, 企财险, 家财险, 责任险,
    信用保证险, 意外险, 健康险, 普通寿险, 分红险, 万能险, 投连险 …): reference data staff keep in the
    admin. `line` is the coarse line it belongs to (blank: none of ours); the line's `default_for_line`
    product line is what a complaint of that line counts as until staff code its product line."""

    code = models.SlugField(_("code"), max_length=24, unique=True)
    line = models.CharField(_("line"), max_length=16, choices=Line.choices, blank=True)
    default_for_line = models.BooleanField(_("counts a line's uncoded complaints"), default=False)
    # The names sources give this product line (an imported file's coverage type), one per line, matched
    # without regard to case: "Homeowners" → 家财险.
    aliases = models.TextField(_("names in imported files"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=models.Q(default_for_line=True), name="product_line_one_default_per_line"
            )
        ]


class PolicyStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    LAPSED = "lapsed", _("Lapsed")
    SURRENDERED = "surrendered", _("Surrendered")
    EXPIRED = "expired", _("Expired")


class Policy(models.Model):
    policy_no = models.CharField(_("policy number"), max_length=40, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="policies", verbose_name=_("customer")
    )
    line = models.CharField(_("line"), max_length=16, choices=Line.choices)
    premium = models.DecimalField(_("annual premium"), max_digits=14, decimal_places=2)
    # The persons the policy insures (a family or group policy covers several; the policyholder need not be
    # one of them): the regulator's "per 10,000 insured persons" counts these, not policyholders.
    insured_persons = models.PositiveIntegerField(_("insured persons"), default=1)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("renewal date"))
    status = models.CharField(_("status"), max_length=16, choices=PolicyStatus.choices, default=PolicyStatus.ACTIVE)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit"))
    # A renewal is a new term (often a new policy number) that points at the term it renews; a term that came
    # up for renewal without one is `lapsed`. Retention is read from these, however the outcome arrived.
    renewal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(condition=models.Q(premium__gte=0), name="policy_premium_not_negative"),
            models.CheckConstraint(condition=models.Q(insured_persons__gte=1), name="policy_insures_someone"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="policy_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["end_date"], name="policy_end_date_idx")]

    def __str__(self) -> str:
        return self.policy_no
