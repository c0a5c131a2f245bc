"""Service journeys (服务流程) and their touchpoints, the moments of truth (关键时刻, MOT).

Each touchpoint carries a criticality weight 1–5, the form of encounter (人机 / 人际间接 / 人际直接) and the
customer focus points staff must get right. Names are data in three languages (`names`), because the
catalogue is edited by admins, not translated in code. The shipped catalogue is `catalogue.json`.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def localised(names: dict[str, str], fallback: str) -> str:
    lang = (translation.get_language() or "zh-hans").lower()
    return names.get(lang) or names.get("zh-hans") or fallback


class Journey(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    names = models.JSONField(_("names"), default=dict, help_text=_('{"zh-hans": "…", "zh-hant": "…", "en": "…"}'))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.names, self.code)


class Encounter(models.TextChoices):
    MACHINE = "machine", _("Machine (self-service)")
    REMOTE = "remote", _("Remote person (phone, chat)")
    FACE_TO_FACE = "face_to_face", _("Face to face")


class Touchpoint(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True, help_text=_("<journey>.<moment>"))
    journey = models.ForeignKey(
        Journey, on_delete=models.PROTECT, related_name="touchpoints", verbose_name=_("journey")
    )
    names = models.JSONField(_("names"), default=dict)
    criticality = models.PositiveSmallIntegerField(
        _("criticality"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    encounter = models.CharField(_("encounter"), max_length=16, choices=Encounter.choices)
    focus_points = models.JSONField(_("customer focus points"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["journey__position", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(criticality__gte=1, criticality__lte=5), name="touchpoint_criticality_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.journey.name} · {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        from .queries import forget

        forget()

    @property
    def name(self) -> str:
        return localised(self.names, self.code)
