"""Writes of intake: receiving complaints (`receive`) and running their regulatory clock (`clock`)."""

from .clock import COMPLAINT_AUDIT_FIELDS, clock_config, complaint_decide, complaint_extend, extension_decide
from .receive import ComplaintInput, NewCustomer, complaint_problems, complaint_receive
from .related import case_merge, complaint_split

__all__ = [
    "COMPLAINT_AUDIT_FIELDS",
    "ComplaintInput",
    "NewCustomer",
    "case_merge",
    "clock_config",
    "complaint_decide",
    "complaint_extend",
    "complaint_problems",
    "complaint_receive",
    "complaint_split",
    "extension_decide",
]
