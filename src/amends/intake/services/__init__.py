"""Writes of intake: receiving complaints (`receive`), running their regulatory clock (`clock`), the decision
and its letter (`letters`), the measure's other procedures (`procedure`: pause, withdrawal, review,
regulator feedback)."""

from .clock import COMPLAINT_AUDIT_FIELDS, clock_config, complaint_extend, extension_decide, law_due
from .letters import complaint_decide, letter_check, letter_context
from .procedure import (
    complaint_pause,
    complaint_resume,
    complaint_withdraw,
    regulator_feedback,
    review_decide,
    review_request,
)
from .receive import ComplaintInput, NewCustomer, complaint_problems, complaint_receive
from .related import case_merge, complaint_link_customer, complaint_split

__all__ = [
    "COMPLAINT_AUDIT_FIELDS",
    "ComplaintInput",
    "NewCustomer",
    "case_merge",
    "clock_config",
    "complaint_decide",
    "complaint_extend",
    "complaint_link_customer",
    "complaint_pause",
    "complaint_problems",
    "complaint_receive",
    "complaint_resume",
    "complaint_split",
    "complaint_withdraw",
    "extension_decide",
    "law_due",
    "letter_check",
    "letter_context",
    "regulator_feedback",
    "review_decide",
    "review_request",
]
