"""Writes of intake: receiving complaints (`receive`) and running their regulatory clock (`clock`)."""

from .clock import COMPLAINT_AUDIT_FIELDS, clock_config, complaint_decide, complaint_extend, extension_decide
from .receive import ComplaintInput, NewCustomer, complaint_receive

__all__ = [
    "COMPLAINT_AUDIT_FIELDS",
    "ComplaintInput",
    "NewCustomer",
    "clock_config",
    "complaint_decide",
    "complaint_extend",
    "complaint_receive",
    "extension_decide",
]
