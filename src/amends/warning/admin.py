"""Admin for early warning: rule configurations and playbooks are edited here (audited, versioned);
events and alerts are shown read-only (services write them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from amends.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Alert, Event, Playbook, RuleConfig


class VersionedForm(forms.ModelForm):
    """Refuses to save over an edit someone else saved since this form was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instance = self.instance
        if instance.pk is not None:
            current = type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
            if data.get("version") is not None and current != data["version"]:
                raise forms.ValidationError(_("Someone else changed this meanwhile. Reload it and try again."))
        return data


class RuleConfigForm(VersionedForm):
    class Meta:
        model = RuleConfig
        fields = ["key", "rule", "name", "enabled", "params", "touchpoints", "severity", "owner_role", "opens_case"]

    def clean_rule(self) -> str:
        from .rules import registry

        rule = self.cleaned_data["rule"]
        if rule not in registry():
            raise forms.ValidationError(_("Unknown rule “%(value)s”.") % {"value": rule})
        return rule

    def clean_params(self) -> dict:
        params = self.cleaned_data["params"]
        if not isinstance(params, dict):
            raise forms.ValidationError(_("Attributes are an object."))
        return params


class VersionedAdmin(AuditedAdmin):
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(RuleConfig)
class RuleConfigAdmin(VersionedAdmin):
    form = RuleConfigForm
    list_display = ("key", "name", "rule", "enabled", "severity", "owner_role", "opens_case")
    list_filter = ("rule", "enabled", "opens_case")
    search_fields = ("key", "name")


class PlaybookForm(VersionedForm):
    class Meta:
        model = Playbook
        fields = ["touchpoint", "apology", "fix_actions", "atonement", "atonement_limit", "follow_up_days"]


@admin.register(Playbook)
class PlaybookAdmin(VersionedAdmin):
    form = PlaybookForm
    list_display = ("touchpoint", "follow_up_days", "atonement_limit", "updated_at")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("rule", "subject_type", "subject_id", "severity", "status", "org_unit", "raised_at")
    list_filter = ("status", "severity", "rule")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "type", "occurred_at", "claim_no", "customer_ref", "touchpoint")
    list_filter = ("type",)
    search_fields = ("=event_id", "=claim_no", "=policy_no")  # each served by an index
    show_full_result_count = False
