"""The customer's side of recovery: portal submissions, follow-up surveys (回访), callbacks (主动回访) and the
notices sent to customers.

A portal submission ties a complaint filed on the public portal to the complainant's private status link
(a random token kept only as its SHA-256 digest). A survey asks one customer, once per case round, whether
the recovery worked; a callback is a staff task to call a customer, sampled from those who passed a
touchpoint without complaining, or left over from a survey nobody answered. Both record the same answer
(`Answer`). The writes live in `followup.services`, the decisions in `followup.rules`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import OrgUnit
from amends.customers.models import Customer
from amends.intake.models import Complaint
from amends.journeys.models import Touchpoint
from amends.recovery.models import Case, Failure


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")


class PortalSubmission(models.Model):
    """A complaint filed on the public portal (投诉门户), with what the portal alone knows about it.

    `client_key` and `contact_key` are keyed digests of the client address and of the phone or email, kept
    for the rate limits without storing the address itself.

    The complaint is filed under a customer record of its own: knowing a policy number or a name and phone
    proves nothing. `claimed_customer` is the customer those details point at, never shown to the
    complainant; a one-time code sent to that customer's contact on file (`code_digest`, a keyed digest)
    proves it is them, and only then is the complaint linked to them (`verified_at`).
    """

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="portal")
    token_digest = models.CharField(max_length=64, unique=True)
    contact_preference = models.CharField(_("contact preference"), max_length=8, choices=ContactPreference.choices)
    language = models.CharField(max_length=8, blank=True)
    client_key = models.CharField(max_length=64)
    contact_key = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    claimed_customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    code_digest = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal submission")
        verbose_name_plural = _("portal submissions")
        indexes = [
            models.Index(fields=["client_key", "created_at"], name="portal_client_idx"),
            models.Index(fields=["contact_key", "created_at"], name="portal_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"portal:{self.complaint_id}"


class ThanksKind(models.TextChoices):
    """The kinds of discretion a token of thanks may take (the discretion app's voucher, upgrade…)."""

    VOUCHER = "voucher", _("Voucher or small gift")
    UPGRADE = "upgrade", _("Service upgrade")


class Thanks(models.Model):
    """A token of thanks for a complaint accepted on the portal (给投诉顾客以奖赏): symbolic atonement, granted by
    the system. One per complaint."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="thanks")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ThanksKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        verbose_name = _("token of thanks")
        verbose_name_plural = _("tokens of thanks")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="thanks_amount_not_negative")]

    def __str__(self) -> str:
        return f"thanks:{self.complaint_id}"


class Answer(models.Model):
    """The follow-up questions, the same on the survey page, in the API and in the callback script."""

    solved = models.BooleanField(_("problem solved"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction"), null=True, blank=True)
    reliability = models.PositiveSmallIntegerField(_("reliability"), null=True, blank=True)
    responsiveness = models.PositiveSmallIntegerField(_("responsiveness"), null=True, blank=True)
    competence = models.PositiveSmallIntegerField(_("competence"), null=True, blank=True)
    attitude = models.PositiveSmallIntegerField(_("attitude"), null=True, blank=True)
    standards = models.PositiveSmallIntegerField(_("standards"), null=True, blank=True)
    renew = models.PositiveSmallIntegerField(_("intent to renew"), null=True, blank=True)
    recommend = models.PositiveSmallIntegerField(_("likelihood to recommend"), null=True, blank=True)
    comment = models.TextField(_("in the customer's words"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        abstract = True


DIMENSIONS = ("reliability", "responsiveness", "competence", "attitude", "standards")


class SurveyStatus(models.TextChoices):
    SENT = "sent", _("Waiting for the answer")
    ANSWERED = "answered", _("Answered")
    NO_ANSWER = "no_answer", _("No answer: handed to a callback")
    WITHDRAWN = "withdrawn", _("Withdrawn: followed up another way")


class Survey(Answer):
    """The follow-up survey of one case round, sent by email or text message through a signed link."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="surveys")
    round = models.PositiveSmallIntegerField()
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=ContactPreference.choices)
    status = models.CharField(_("status"), max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.SENT)
    sent_at = models.DateTimeField(_("sent at"))
    last_sent_at = models.DateTimeField()
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    expires_at = models.DateTimeField(_("expires at"))
    recovered = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up survey")
        verbose_name_plural = _("follow-up surveys")
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="one_survey_per_case_round")]
        indexes = [models.Index(fields=["last_sent_at"], condition=Q(status="sent"), name="survey_waiting_idx")]

    def __str__(self) -> str:
        return f"survey:{self.pk}"


class CallbackReason(models.TextChoices):
    SAMPLE = "sample", _("Sampled: passed a touchpoint without complaining")
    SURVEY_UNANSWERED = "survey_unanswered", _("Follow-up survey not answered")
    NO_CONTACT = "no_contact", _("Follow-up: no email or mobile on file")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("To call")
    DONE = "done", _("Done")
    UNREACHABLE = "unreachable", _("Unreachable")


class AttemptOutcome(models.TextChoices):
    REACHED = "reached", _("Reached: asked the questions")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy or asked to call later")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    DECLINED = "declined", _("Declined to answer")


class Callback(Answer):
    """A call to make (主动回访): the seeds' 96% who never complain are heard only if someone asks them."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="callbacks")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=CallbackReason.choices)
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What the customer passed ("policy:PA2026…:20261101", "event:…") or the survey it replaces; unique per reason.
    source_ref = models.CharField(max_length=64)
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks")
    survey = models.OneToOneField(Survey, on_delete=models.PROTECT, null=True, blank=True, related_name="callback")
    status = models.CharField(_("status"), max_length=16, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    failure = models.ForeignKey(Failure, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Who is calling: claimed before the call, so two people never ring the same customer about it.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("being called by"),
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        constraints = [models.UniqueConstraint(fields=["reason", "source_ref"], name="callback_once_per_source")]
        indexes = [
            models.Index(fields=["org_unit", "created_at"], condition=Q(status="open"), name="callback_open_idx")
        ]

    def __str__(self) -> str:
        return f"callback:{self.pk}"


class CallbackAttempt(models.Model):
    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16, choices=AttemptOutcome.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.callback_id}:{self.outcome}"


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notice(models.Model):
    """A message sent to a customer (acknowledgement, survey, reminder), kept to show what was sent and when."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=ContactPreference.choices)
    purpose = models.CharField(max_length=24)
    address = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["customer", "created_at"], name="notice_customer_idx")]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.channel}:{self.pk}"
