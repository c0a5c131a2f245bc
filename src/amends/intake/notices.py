"""The notices the 2020 measure requires the complainant to be given, written as they happen.

Each notice is kept as a row (`ComplaintNotice`: what, when, to whom, the text) in the transaction of the act it
reports, and handed to the sender registered on `hooks.notice` (correspondence sends it after commit, through
the customer's preferred contact, from editable templates, with retries). The text here is the record; the
template key a sender uses is `complaint.<kind>`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.core import batch, clock

from . import hooks
from .models import Complaint, ComplaintNotice


def _texts() -> dict[str, str]:
    return {
        "receipt": _("We received your complaint %(ref)s on %(received)s. We will decide and tell you by %(due)s."),
        "extension": _(
            "Your complaint %(ref)s needs more time: we will decide and tell you by %(due)s. Reason: %(reason)s"
        ),
        "pause": _(
            "Your complaint %(ref)s waits for an outside appraisal (%(reason)s). "
            "The time it takes is not counted; we will tell you when it is done."
        ),
        "resume": _("The appraisal for your complaint %(ref)s is done. We will decide and tell you by %(due)s."),
        "decision": _(
            "Our decision on your complaint %(ref)s: %(result)s. The decision letter explains why and how to "
            "contest it; you may ask for a review until %(review_until)s."
        ),
        "withdrawal": _("Your complaint %(ref)s was withdrawn on %(at)s; its handling has ended."),
        "review": _("We received your request for a review of complaint %(ref)s. We will tell you by %(due)s."),
        "review_decision": _("The review of your complaint %(ref)s is decided: %(outcome)s. %(decision)s"),
    }


def local(moment: object) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""  # type: ignore[arg-type]


def notice_send(*, actor: User, complaint: Complaint, kind: str, values: dict[str, object]) -> ComplaintNotice:
    """Record the notice in the caller's transaction and hand it to the sender. A value may be a lazy label:
    the record reads it in the site's language, a sender in the customer's."""
    customer = complaint.customer
    values = {"ref": complaint.reference, **values}
    with translation.override(settings.LANGUAGE_CODE):
        text = _texts()[kind] % values
    to = complaint.filer_contact or customer.phone or customer.email
    notice = ComplaintNotice(complaint=complaint, kind=kind, at=clock.now(), to=to, text=text)
    batch.add(notice)  # one INSERT with the use case's other rows where it collects them (receipt)
    hooks.notice(actor=actor, complaint=complaint, kind=kind, values={**values, "text": text})
    return notice
