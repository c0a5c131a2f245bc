"""Every write of follow-up: the portal (`portal`; the complainant's withdrawal and review request,
`procedure`), surveys (`surveys`), callbacks (`callbacks`), and the answer's effect on the case that both
share (`outcome`)."""

from .additions import portal_add
from .callbacks import callback_claim, callback_record, callbacks_sample
from .common import LinkExpired, RateLimited, self_service_actor
from .portal import PortalInput, portal_code_send, portal_code_verify, portal_link_verified, portal_submit
from .procedure import portal_review, portal_withdraw
from .surveys import survey_answer, survey_send, surveys_chase, surveys_sweep

__all__ = [
    "LinkExpired",
    "PortalInput",
    "RateLimited",
    "callback_claim",
    "callback_record",
    "callbacks_sample",
    "portal_add",
    "portal_code_send",
    "portal_code_verify",
    "portal_link_verified",
    "portal_review",
    "portal_submit",
    "portal_withdraw",
    "self_service_actor",
    "survey_answer",
    "survey_send",
    "surveys_chase",
    "surveys_sweep",
]
