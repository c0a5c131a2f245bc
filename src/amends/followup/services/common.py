"""What the follow-up services share: the self-service system account, the errors only the public side
raises, and turning rule codes into translated field messages."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amends.accounts.models import OrgUnit, Role, User
from amends.core import audit
from amends.core.errors import AmendsError, Forbidden, RuleViolation


class LinkExpired(Forbidden):
    code = "link_expired"


class RateLimited(AmendsError):
    code = "rate_limited"
    status = 429


def self_service_actor() -> User:
    """The account the portal and customers' own answers act as: a front-line role at the head office (so
    complaint intake may find any customer), no usable password, created on first use."""
    user = User.objects.select_related("org_unit").filter(username=settings.AMENDS_PORTAL_USERNAME).first()
    if user is not None:
        return user
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise RuleViolation(_("The organisation is not set up yet."), code="no_organisation")
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        user, created = User.objects.get_or_create(
            username=settings.AMENDS_PORTAL_USERNAME,
            defaults={"role": Role.FRONTLINE, "org_unit": root, "display_name": _("Customer self-service")},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            audit.record(audit.entry(actor=None, action="user.create_system", obj=user, after={"role": user.role}))
    return user


def answer_messages(codes: dict[str, str]) -> dict[str, list[str]]:
    texts = {
        "required": _("This field is required."),
        "not_a_choice": _("Choose yes or no."),
        "out_of_range": _("Choose a value on the scale."),
        "too_long": _("At most 5000 characters."),
    }
    return {field: [texts[code]] for field, code in codes.items()}
