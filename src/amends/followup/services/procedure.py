"""What the complainant may do about their complaint on their status page (2020 measure): withdraw it while it
is undecided (撤回: the procedure ends the day it is received), or ask for a review (核查) of the decision within
the configured days. Scoped by the private link alone: only the complaint the link was issued for (decision
0040). Both go through intake's own services as the self-service account, so the rules, the audit, the
timeline and the notices are the ones staff get; a refusal comes back as intake's Conflict (409).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from amends.core.errors import InvalidInput
from amends.intake.models import Complaint, Review
from amends.intake.services import complaint_withdraw, review_request

from .common import self_service_actor

MAX_TEXT = 2000


def _text(value: str, field: str) -> str:
    value = value.strip()
    if len(value) > MAX_TEXT:
        message = _("At most %(n)s characters.") % {"n": MAX_TEXT}
        raise InvalidInput(message, fields={field: [message]})
    return value


def portal_withdraw(*, token: str, reason: str = "") -> Complaint:
    """The complainant withdraws the complaint their link was issued for; the reason is optional."""
    from ..queries import submission_for_token

    submission = submission_for_token(token)
    return complaint_withdraw(
        actor=self_service_actor(),
        complaint_id=submission.complaint_id,
        reason=_text(reason, "reason"),
        by_customer=True,
    )


def portal_review(*, token: str, grounds: str) -> Review:
    """The complainant asks for a review of the decision on the complaint their link was issued for."""
    from ..queries import submission_for_token

    submission = submission_for_token(token)
    return review_request(
        actor=self_service_actor(),
        complaint_id=submission.complaint_id,
        grounds=_text(grounds, "grounds"),
        by_customer=True,
    )
