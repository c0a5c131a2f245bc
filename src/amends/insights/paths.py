"""How each filter reaches each kind of row: the field path (or condition) for unit, line, segment, channel
and touchpoint on surveys, promises, discretion requests and the report facts. A case has no channel or line
of its own: it matches when one of its complaints does (EXISTS on the source tables; a bit set in the facts),
so a case with two complaints is still counted once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import GreaterThan

from amends.intake.models import Complaint


def _case_complaint(case_ref: str, *conditions: Q, **lookup: Any) -> Q:
    return Q(Exists(Complaint.objects.filter(*conditions, case_id=OuterRef(case_ref), **lookup)))


def complaint_line(value: str) -> Q:
    """A complaint's line is its own where it has one (imported history), else its policy's."""
    return Q(line=value) | Q(line="", policy__line=value)


# A survey's case (its follow-up): through the case, a channel or line through the case's complaints.
STEP: dict[str, Any] = {
    "unit": "case__org_unit_id",
    "line": lambda v: _case_complaint("case_id", complaint_line(v)),
    "segment": "case__customer__segment",
    "channel": lambda v: _case_complaint("case_id", channel=v),
    "touchpoint": "case__touchpoint_id",
}

PROMISE: dict[str, Any] = {
    "unit": "org_unit_id",
    "line": "policy__line",
    "segment": "customer__segment",
    "channel": "channel",
    "touchpoint": "touchpoint_id",
}


# The facts (insights.models): unit, segment, line and channel are columns; a case's channels and lines are bit
# sets, matched when any of its complaints has the value.
def has_bit(column: str, bit: int) -> Q:
    return Q(GreaterThan(F(column).bitand(bit), 0))


def _facts_of_cases() -> dict[str, Any]:
    from .facts import CHANNEL_BITS, LINE_BITS

    return {
        "unit": "unit_id",
        "line": lambda v: has_bit("lines", LINE_BITS[v]),
        "segment": "segment",
        "channel": lambda v: has_bit("channels", CHANNEL_BITS[v]),
        "touchpoint": "touchpoint_id",
    }


COMPLAINT_FACT: dict[str, Any] = {
    "unit": "unit_id",
    "line": "line",
    "segment": "segment",
    "channel": "channel",
    "touchpoint": "touchpoint_id",
}
CASE_FACT: dict[str, Any] = _facts_of_cases()
FAILURE_FACT = CASE_FACT
FOLLOW_UP_FACT = CASE_FACT

# A discretion request: its unit is the asker's (whose authority was spent, as in the equal-treatment report),
# its segment the customer's when asked; line, channel and touchpoint reach it through its case, so a system
# grant without a case drops out when one of those is chosen.
DISCRETION: dict[str, Any] = {
    "unit": "org_unit_id",
    "line": lambda v: _case_complaint("case_id", complaint_line(v)),
    "segment": "segment",
    "channel": lambda v: _case_complaint("case_id", channel=v),
    "touchpoint": "case__touchpoint_id",
}
