"""Every write on a recovery case: which case a complaint or failure goes to (`opening`), its priority
(`priority`), assignment, deadline and merge (`cases`), the failures noticed (`failures`), the five steps
(`steps`)."""

from .cases import absorb_rows_of, case_absorb, case_assign, case_clock_update
from .common import CASE_AUDIT_FIELDS, check_version, timeline_add
from .failures import failure_code, failure_of_case, failure_record, perception_gap_record, repeat_failure_record
from .opening import CaseOpening, CustomerRow, OpenedCase, RelatedCase, add_relator, case_open_or_join
from .priority import case_count_repeat, case_escalate, case_priority_raise
from .queue import BulkResult, case_bulk_assign, case_take, queue_view_delete, queue_view_save
from .steps import recovery_on_the_spot, step_record

__all__ = [
    "CASE_AUDIT_FIELDS",
    "BulkResult",
    "CaseOpening",
    "CustomerRow",
    "OpenedCase",
    "RelatedCase",
    "absorb_rows_of",
    "add_relator",
    "case_absorb",
    "case_assign",
    "case_bulk_assign",
    "case_clock_update",
    "case_count_repeat",
    "case_escalate",
    "case_open_or_join",
    "case_priority_raise",
    "case_take",
    "check_version",
    "failure_code",
    "failure_of_case",
    "failure_record",
    "perception_gap_record",
    "queue_view_delete",
    "queue_view_save",
    "recovery_on_the_spot",
    "repeat_failure_record",
    "step_record",
    "timeline_add",
]
