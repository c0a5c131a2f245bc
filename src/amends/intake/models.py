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

from amends.core.labels import Labelled
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


class ReasonCategory(Labelled):
    """A business category (业务类别) of the regulator's complaint statistics, its code one of `Category`'s: the
    first level of the reason taxonomy, with labels as the bulletins print them (销售纠纷, 理赔纠纷 …)."""

    code = models.CharField(_("code"), max_length=16, choices=Category.choices, unique=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("business category")
        verbose_name_plural = _("business categories")


class ComplaintReason(Labelled):
    """The second level: a reason under a business category (销售纠纷 → 夸大收益或保险责任 …), reference data staff
    keep in the admin and code on a complaint (`text.CodeField.REASON`)."""

    category = models.ForeignKey(
        ReasonCategory, on_delete=models.PROTECT, related_name="reasons", verbose_name=_("business category")
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category__order", "order", "code"]
        verbose_name = _("complaint reason")
        verbose_name_plural = _("complaint reasons")


class Result(models.TextChoices):
    """The decision on a complaint as the 2020 measure's decision letter states it (支持 / 部分支持 / 不支持)."""

    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


class FiledAs(models.TextChoices):
    """Who complained on the customer's behalf (blank: the customer themself)."""

    AGENT = "agent", _("Agent with authority")
    HEIR = "heir", _("Heir")
    GUARDIAN = "guardian", _("Guardian or legal representative")


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
    # When the procedure ended and the clock stopped: the decision told, or a withdrawal received (then
    # `withdrawn_at` is the same moment and there is no result).
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # A pause for an outside appraisal (鉴定、检测、评估): since when, while it lasts; `paused_days` is what
    # finished pauses left out of the period (already in `due_at`).
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days paused"), default=0)
    # Who complained, when not the customer: an agent with a power of attorney, an heir, a guardian (第十四条).
    filed_as = models.CharField(_("complained as"), max_length=16, choices=FiledAs.choices, blank=True)
    filer_name = models.CharField(_("complainant's name"), max_length=100, blank=True)
    filer_contact = models.CharField(_("complainant's contact"), max_length=100, blank=True)
    filer_authority = models.CharField(_("authority shown"), max_length=200, blank=True)
    # A transfer from the regulator (12378 / 监管转办): its number, its deadline and the feedback owed to it.
    regulator_ref = models.CharField(_("transfer number"), max_length=40, blank=True)
    regulator_due_at = models.DateTimeField(_("regulator's deadline"), null=True, blank=True)
    regulator_feedback = models.TextField(_("feedback to the regulator"), blank=True)
    regulator_feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    line = models.CharField(_("line"), max_length=16, choices=Line.choices, blank=True)
    region = models.CharField(_("region"), max_length=50, blank=True)
    # The source's own name for the product (an imported file's coverage type): kept as the source wrote it, it
    # is matched to a product line by the names `customers.ProductLine.aliases` lists, else shown as it is.
    coverage = models.CharField(_("coverage type in the source"), max_length=60, blank=True)
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
            models.Index(
                fields=["regulator_due_at"],
                condition=Q(regulator_feedback_at__isnull=True, regulator_due_at__isnull=False),
                name="complaint_regulator_owed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(extension_level__lte=2), name="complaint_at_most_two_extensions"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(decided_at=models.F("withdrawn_at")),
                name="complaint_withdrawal_ends_it",
            ),
            models.CheckConstraint(condition=Q(filed_as="") | ~Q(filer_name=""), name="complaint_filer_named"),
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


class Pause(models.Model):
    """A pause of a complaint's clock while an outside body appraises, tests or assesses (鉴定、检测、评估)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="pauses")
    reason = models.TextField(_("reason"))
    paused_at = models.DateTimeField(_("paused at"))
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    days = models.PositiveIntegerField(_("days left out"), default=0)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(resumed_at__isnull=True), name="one_running_pause_per_complaint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} paused {self.paused_at:%Y-%m-%d}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Under review")
    DECIDED = "decided", _("Review decided")


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Decision confirmed")
    CHANGED = "changed", _("Decision changed")


class Review(models.Model):
    """A review (核查) of a decision by the superior institution, asked by the complainant within the configured
    days of the decision; it has its own due date and an owner at the superior unit who had no part in it."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="review")
    grounds = models.TextField(_("grounds"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("review due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReviewOutcome.choices, blank=True)
    decision = models.TextField(_("review decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["due_at"], condition=Q(status="open"), name="review_open_due_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} review"


class LetterStatus(models.TextChoices):
    AWAITING_CHECK = "awaiting_check", _("Waiting for a second person's check")
    RETURNED = "returned", _("Returned for changes")
    SENT = "sent", _("Sent")


class DecisionLetter(models.Model):
    """The decision letter (处理决定告知书): the result, the facts, the reasons and basis, what is offered, the
    routes of relief and the review deadline. Drafted from the case's data; checked by a second person where
    the insurer requires it; never changed once sent (the service refuses, and `body` keeps the text sent)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="letters")
    status = models.CharField(_("status"), max_length=16, choices=LetterStatus.choices)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    at_fault = models.BooleanField(_("insurer at fault"), null=True, blank=True)
    decision = models.TextField(_("decision in brief"))
    facts = models.TextField(_("facts"))
    reasons = models.TextField(_("reasons and basis"))
    offer = models.TextField(_("what is offered"), blank=True)
    offer_amount = models.DecimalField(_("amount offered"), max_digits=14, decimal_places=2, null=True, blank=True)
    review_deadline = models.DateTimeField(_("review may be asked until"), null=True, blank=True)
    body = models.TextField(_("letter as sent"), blank=True)
    language = models.CharField(max_length=10, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    check_note = models.TextField(blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=~Q(status="returned"), name="one_live_letter_per_complaint"
            ),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="letter_sent_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} letter {self.pk}"


class ComplaintNotice(models.Model):
    """What the complainant was told, when and where: the record the measure asks for (receipt, extension,
    pause and its end, decision, withdrawal, review decision). Written with the act it reports; the sending
    (correspondence, after commit) is hung on `hooks.notice` and its delivery status is kept there."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=16)
    at = models.DateTimeField(_("at"))
    to = models.CharField(_("to"), max_length=254, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("notice to the complainant")
        verbose_name_plural = _("notices to the complainant")
        indexes = [models.Index(fields=["complaint", "at"], name="notice_complaint_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"
