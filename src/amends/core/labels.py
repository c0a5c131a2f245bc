"""Reference data that staff edit in the admin and read in three languages: a label per language, the one
shown being the active language's (Simplified Chinese when the language is neither of the others)."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Labelled(models.Model):
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=60)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return label_of(self.name_zh_hans, self.name_zh_hant, self.name_en)


def label_of(zh_hans: str, zh_hant: str, en: str) -> str:
    """The label in the active language, from the three a row holds (for rows read with `values()`)."""
    language = (translation.get_language() or "zh-hans").lower()
    if language.startswith("en"):
        return en or zh_hans
    if language in ("zh-hant", "zh-tw", "zh-hk", "zh-mo"):
        return zh_hant or zh_hans
    return zh_hans


LABEL_FIELDS = ("name_zh_hans", "name_zh_hant", "name_en")
