"""Text intelligence on complaints: the flag lexicon, what was read in each complaint, staff's codes, models.

- `LexiconTerm`: the words that raise an escalation flag (regulator, media, legal, consumer body, repeat,
  distress) and the negation cues; data that quality managers extend without a deploy (audited admin).
- `ComplaintText`: what was read in one complaint at intake: its flags with evidence and the suggested codes
  with their confidence (all of them; the pre-fill threshold is applied when shown, so it can change).
- `ComplaintCode`: a code staff confirmed for a complaint (accepted as suggested, or corrected): the
  training data of the next model.
- `TextModel`: a trained classifier, stored in the database so every web process and host reads the same.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amends.intake.models import Complaint


class FlagCode(models.TextChoices):
    REGULATOR = "regulator", _("Regulator")
    MEDIA = "media", _("Media")
    LEGAL = "legal", _("Legal action")
    CONSUMER_BODY = "consumer_body", _("Consumer body")
    REPEAT = "repeat", _("Repeat complaint")
    DISTRESS = "distress", _("Distress")


class TermKind(models.TextChoices):
    TRIGGER = "trigger", _("Raises the flag")
    NEGATION = "negation", _("Negation cue (cancels a flag just after it)")


class LexiconTerm(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=TermKind.choices, default=TermKind.TRIGGER)
    flag = models.CharField(_("flag"), max_length=16, choices=FlagCode.choices, blank=True)
    term = models.CharField(
        _("term"),
        max_length=120,
        help_text=_("Simplified Chinese or English; traditional characters and full-width digits match it too."),
    )
    is_pattern = models.BooleanField(
        _("regular expression"), default=False, help_text=_("For experts: a Python regular expression.")
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("lexicon term")
        verbose_name_plural = _("lexicon terms")
        ordering = ["kind", "flag", "term"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "flag", "term"], name="lexicon_term_once"),
            models.CheckConstraint(
                condition=Q(kind="negation", flag="") | (Q(kind="trigger") & ~Q(flag="")),
                name="lexicon_trigger_has_flag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flag or self.kind}: {self.term}"

    def clean(self) -> None:
        if self.kind == TermKind.TRIGGER and not self.flag:
            raise ValidationError({"flag": _("A trigger term raises a flag: choose which.")})
        if self.kind == TermKind.NEGATION:
            self.flag = ""
        if not self.term.strip():
            raise ValidationError({"term": _("This field is required.")})
        if self.is_pattern:
            try:
                if re.compile(self.term).match(""):
                    raise ValidationError({"term": _("This expression matches empty text.")})
            except re.error as exc:
                raise ValidationError({"term": _("Not a valid expression: %(error)s") % {"error": exc}}) from exc


class ComplaintText(models.Model):
    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, primary_key=True, related_name="text")
    flags = models.JSONField(default=list)  # [{"code", "evidence", "start", "end"}]
    suggested = models.JSONField(default=dict)  # {"category": {"code", "confidence"}, …}
    model = models.CharField(max_length=40, blank=True)  # which model suggested: "starter" or "model:<id>"
    read_at = models.DateTimeField()

    class Meta:
        verbose_name = _("complaint reading")
        verbose_name_plural = _("complaint readings")

    def __str__(self) -> str:
        return f"{self.complaint_id}"


class CodeField(models.TextChoices):
    CATEGORY = "category", _("Business category")
    TOUCHPOINT = "touchpoint", _("Touchpoint")
    CAUSE = "cause", _("Cause")
    DIMENSION = "dimension", _("Dimension")
    GAP = "gap", _("Service quality gap")
    # The regulator's second level under the business category, and its product line (reference data).
    REASON = "reason", _("Complaint reason")
    PRODUCT_LINE = "product_line", _("Product line")


class Gap(models.TextChoices):
    """The four gaps between what customers expect and what they perceive (服务质量差距); a failure stores the
    number (`recovery.Failure.gap`), a complaint the code staff confirmed."""

    KNOWING = "1", _("Gap 1: not knowing what the customer expects")
    DESIGN = "2", _("Gap 2: no fitting service standard or solution")
    DELIVERY = "3", _("Gap 3: not delivering what was designed or promised")
    PERCEPTION = "4", _("Gap 4: we think value was delivered, the customer does not")


class CodeOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Suggestion accepted")
    CORRECTED = "corrected", _("Suggestion corrected")
    ENTERED = "entered", _("Entered without a suggestion")


class ComplaintCode(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="codes")
    field = models.CharField(_("field"), max_length=16, choices=CodeField.choices)
    code = models.CharField(_("code"), max_length=64)
    suggested = models.CharField(_("suggested code"), max_length=64, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CodeOutcome.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("complaint code")
        verbose_name_plural = _("complaint codes")
        constraints = [models.UniqueConstraint(fields=["complaint", "field"], name="one_code_per_complaint_field")]
        indexes = [models.Index(fields=["field", "complaint"], name="code_field_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.field}={self.code}"


class TextModel(models.Model):
    """A classifier trained by `amends text train`: arrays in NumPy's npz format (no pickle, so loading it
    runs no code), the number of examples per field, and who trained it when."""

    trained_at = models.DateTimeField()
    trained_by = models.CharField(max_length=150, blank=True)
    examples = models.JSONField(default=dict)  # {"category": 1234, …}
    seconds = models.FloatField(default=0)
    blob = models.BinaryField()
    # How it compared with the model it replaced on held-out texts, per field (`text.training.Comparison`).
    evaluation = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("text model")
        verbose_name_plural = _("text models")

    def __str__(self) -> str:
        return f"model:{self.pk}"
