"""Every write of discretion: requests and system grants (`requests`), approvals and escalation
(`approvals`), policies and the budget locks (`authority`), the alerts they raise (`notify`)."""

from .approvals import approval_decide, approvals_escalate_overdue
from .authority import policy_set
from .requests import discretion_grant_system, discretion_request

__all__ = [
    "approval_decide",
    "approvals_escalate_overdue",
    "discretion_grant_system",
    "discretion_request",
    "policy_set",
]
