"""Every write on a recovery case: open or join and assign (`cases`), the five steps (`steps`)."""

from .cases import (
    OpenedCase,
    RelatedCase,
    absorb_rows_of,
    case_absorb,
    case_assign,
    case_clock_update,
    case_count_repeat,
    case_escalate,
    case_open_or_join,
    case_priority_raise,
)
from .common import CASE_AUDIT_FIELDS, check_version, timeline_add
from .failures import failure_record, repeat_failure_record
from .steps import recovery_on_the_spot, step_record

__all__ = [
    "CASE_AUDIT_FIELDS",
    "OpenedCase",
    "RelatedCase",
    "absorb_rows_of",
    "case_absorb",
    "case_assign",
    "case_clock_update",
    "case_count_repeat",
    "case_escalate",
    "case_open_or_join",
    "case_priority_raise",
    "check_version",
    "failure_record",
    "recovery_on_the_spot",
    "repeat_failure_record",
    "step_record",
    "timeline_add",
]
