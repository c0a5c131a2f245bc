"""Correspondence (往来函件) with the customer about a case: each text message or e-mail sent or received, and
the wording staff send from (templates, in each language the customer may read).

A message always belongs to a case (whose org scope decides who may read it) and may name one of its
complaints. It is written by `services` only; its delivery state is changed by the delivery task alone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.customers.models import Customer
from amends.recovery.models import Case, CaseStep


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Complaint portal")  # only ever inbound: what the complainant adds on the status page


class Direction(models.TextChoices):
    OUT = "out", _("To the customer")
    IN = "in", _("From the customer")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DELIVERED = "delivered", _("Delivered")
    RECEIVED = "received", _("Received")


class Message(models.Model):
    """One message to or from the customer. An outgoing one is `queued` until the delivery task hands it to the
    gateway (`sent`; `delivered` once a gateway confirms it); each failed try is counted with its error and
    retried later, until `AMENDS_MESSAGE_MAX_ATTEMPTS`, then it is `failed` for staff to see."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages", verbose_name=_("case"))
    # Complaints live in intake, above this app: the id is kept without a foreign key so the layers hold.
    complaint_id = models.BigIntegerField(_("complaint"), null=True, blank=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    template_key = models.CharField(_("template"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # When the delivery task may next try; also a lease: a try in progress pushes it ahead, so the retry sweep
    # and the task enqueued at commit never send the same message twice.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The e-mail Message-ID (ours when sent, theirs when received): a reply names it, which threads it here.
    external_id = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="message_case_idx"),
            # The retry sweep reads only what still waits to go out.
            models.Index(fields=["next_attempt_at"], condition=Q(status="queued"), name="message_queued_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""), name="message_external_once"),
            models.CheckConstraint(
                condition=Q(direction="out", status__in=["queued", "sent", "failed", "delivered"])
                | Q(direction="in", status="received"),
                name="message_status_fits_direction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction}:{self.channel}:{self.pk}"


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    ZH_HANT = "zh-hant", "繁體中文"
    EN = "en", "English"


class MessageTemplate(models.Model):
    """The wording of one kind of message in one language, edited by staff in the admin. `{name}` placeholders
    are filled when a message is composed: customer, case, complaint, due, text (see `rules.PLACEHOLDERS`)."""

    key = models.CharField(_("key"), max_length=40)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("e-mail subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["key", "language"]
        constraints = [models.UniqueConstraint(fields=["key", "language"], name="message_template_key_language")]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"


class AttachmentSource(models.TextChoices):
    STAFF = "staff", _("Staff")
    PORTAL = "portal", _("The customer, on the portal")
    API = "api", _("Another system")
    EMAIL = "email", _("The customer, by e-mail")


class Attachment(models.Model):
    """A file of evidence (证据材料) on a case: a photo of the damage, a receipt, a claim document, a call
    recording, the regulator's transfer letter. It may be about one complaint, step or message of the case.

    The file is kept through Django's storage API under a generated name (`file`); the name the sender gave
    is shown and offered on download only after `rules.clean_name`. The type is what the content says
    (`rules.sniff`), never the name or the browser."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case"))
    # Complaints live in intake, above this app (see Message.complaint_id).
    complaint_id = models.BigIntegerField(_("complaint"), null=True, blank=True)
    step = models.ForeignKey(
        CaseStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("step")
    )
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(_("file"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    source = models.CharField(_("from"), max_length=8, choices=AttachmentSource.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="attachment_case_idx")]

    def __str__(self) -> str:
        return self.original_name
