"""Org units (head office → provincial branch → city branch → outlet), staff with one role each, API tokens.

An org unit keeps its materialised `path` ("/1/4/17/") so a subtree is one indexed prefix match; scoping
itself lives in `accounts.access`, the walk up to the nearest staff of a role in `accounts.tree`. Tokens are
stored as SHA-256 digests: a bearer token is checked with one indexed lookup, never a password hash per request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    HEAD_OFFICE = "head_office", _("Head office")
    PROVINCE = "province", _("Provincial branch")
    CITY = "city", _("City branch")
    OUTLET = "outlet", _("Outlet")


class OrgUnit(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    region = models.CharField(_("region"), max_length=50, blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save every field (or the caller's `update_fields`) with the path that follows from the parent; a unit
        that moved takes its whole subtree along, so every unit below (and its scope) moves with it."""
        parent_path = (
            OrgUnit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or "/"
            if self.parent_id is not None
            else "/"
        )
        if self.pk is None:
            # The path embeds the primary key, so a new unit is saved twice; units are few and rarely added.
            super().save(*args, **kwargs)
            self.path = f"{parent_path}{self.pk}/"
            super().save(update_fields=["path"])
        else:
            old = OrgUnit.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            if old is not None and self.parent_id is not None and f"/{self.pk}/" in parent_path:
                raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own units.")})
            self.path = f"{parent_path}{self.pk}/"
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
            super().save(*args, **kwargs)
            if old is not None and old != self.path:
                OrgUnit.objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old) + 1))
                )
        from .access import forget_subtrees

        forget_subtrees()

    def clean(self) -> None:
        if self.pk is not None and self.parent_id is not None:
            parent_path = OrgUnit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
            if self.parent_id == self.pk or f"/{self.pk}/" in parent_path:
                raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own units.")})

    def ancestor_ids(self) -> list[int]:
        """Own id first, then each parent up to the head office."""
        return [int(p) for p in reversed(self.path.strip("/").split("/"))]


class Role(models.TextChoices):
    FRONTLINE = "frontline", _("Front-line staff")
    HANDLER = "handler", _("Complaint handler")
    SUPERVISOR = "supervisor", _("Supervisor")
    QUALITY_MANAGER = "quality_manager", _("Quality manager")
    # Head-office senior management (总公司高级管理人员): decides further extensions of the complaint clock.
    SENIOR_MANAGER = "senior_manager", _("Senior management")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.FRONTLINE)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("org unit"),
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [models.Index(fields=["org_unit", "role"], name="user_unit_role_idx")]

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
