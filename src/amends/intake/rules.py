"""Pure decisions of intake: the regulatory clock and the procedure around it (no ORM, no settings, no clock).

银行业保险业消费投诉处理管理办法 (2020): decide and tell the complainant within `base_days` of receipt, `extended_days`
for a complex complaint (with a reason), a further `further_days` for an especially complex one (approved by the
superior institution or head-office senior management, never by the one who asked). Days are counted as
《民法典》第二百零一、二百零三条 count a period in days: the day of receipt is not counted, a last day that is not a
working day moves to the next working day, and the period ends at the end of that day. Time spent on an outside
appraisal (鉴定、检测、评估) may be left out (whole days paused). Everything is configuration (`ClockConfig`), so
another jurisdiction fits: UK FCA DISP 1.6 is eight weeks counted as elapsed time (`counting="elapsed"`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from amends.core.calendar import WorkingCalendar

DAYS, ELAPSED = "days", "elapsed"
# A level-2 extension's decider: who may decide it, by their place in the org tree and their role.
SUPERIOR_UNIT, HEAD_OFFICE_SENIOR = "superior_unit", "head_office_senior"


@dataclass(frozen=True)
class ClockConfig:
    base_days: int = 15
    extended_days: int = 30
    further_days: int = 30
    # "days": the law's count (from the day after receipt, to the end of the last day, moved off days off);
    # "elapsed": exact durations from the moment of receipt (e.g. FCA DISP's eight weeks).
    counting: str = DAYS
    roll_to_working_day: bool = True
    # When a counted day ends; 《民法典》第二百零三条: 24:00, or the close of business where there are hours.
    day_ends: time = time(23, 59, 59)
    # An extension's reason must say something: a one-word reason is refused.
    min_reason_chars: int = 5
    # A review (核查) may be asked within this many days of the decision, and is decided within `review_days`.
    review_request_days: int = 30
    review_days: int = 30


def period_days(extension_level: int, config: ClockConfig) -> int:
    if extension_level not in (0, 1, 2):
        raise ValueError("extension level is 0, 1 or 2")
    days = config.base_days
    if extension_level >= 1:
        days = config.extended_days
    if extension_level == 2:
        days += config.further_days
    return days


def period_end(start: datetime, days: int, config: ClockConfig, calendar: WorkingCalendar) -> datetime:
    """The moment a period of `days` starting at `start` (aware, in the local zone) runs out."""
    if config.counting == ELAPSED:
        return start + timedelta(days=days)
    last = start.date() + timedelta(days=days)  # the day of `start` is not counted
    if config.roll_to_working_day:
        last = calendar.next_working_day(last)
    return datetime.combine(last, config.day_ends, tzinfo=start.tzinfo)


def due_at(
    received_at: datetime,
    extension_level: int,
    config: ClockConfig,
    calendar: WorkingCalendar | None = None,
    *,
    paused_days: int = 0,
) -> datetime:
    """When the complaint must be decided and the complainant told: the period of its extension level, plus
    the whole days it spent paused for an outside appraisal."""
    days = period_days(extension_level, config) + paused_days
    return period_end(received_at, days, config, calendar or WorkingCalendar())


def paused_days(paused_at: datetime, resumed_at: datetime) -> int:
    """Days a pause leaves out of the period: the calendar days from the day it began to the day it ended.
    A pause begun and ended on one day leaves none out (that day was also worked on)."""
    return max(0, (resumed_at.date() - paused_at.date()).days)


def extension_refusal(
    *,
    current_level: int,
    requested_level: int,
    decided: bool,
    reason: str,
    now: datetime | None = None,
    due: datetime | None = None,
    paused: bool = False,
    min_reason_chars: int = 1,
) -> str | None:
    """Why an extension cannot be requested, or None. Levels are taken in order, once each, and only before
    the current due time: a deadline already missed is not extended after the fact."""
    if decided:
        return "complaint_already_decided"
    if paused:
        return "complaint_paused"
    if now is not None and due is not None and now >= due:
        return "extension_after_due"
    if len(reason.strip()) < max(1, min_reason_chars):
        return "extension_needs_reason"
    if requested_level != current_level + 1 or requested_level > 2:
        return "extension_out_of_order"
    return None


def further_extension_decider(
    *,
    decider_id: int,
    requester_id: int,
    decider_unit_path: str | None,
    complaint_unit_path: str,
    decider_approves: bool,
    decider_is_senior: bool,
) -> str | None:
    """On what standing the decider may decide a level-2 extension (SUPERIOR_UNIT or HEAD_OFFICE_SENIOR), or
    None: only a user of a unit above the complaint's (the superior institution) who approves extensions, or a
    senior manager of the head office; in neither case the one who asked."""
    if decider_id == requester_id or decider_unit_path is None:
        return None
    is_head_office = decider_unit_path.count("/") == 2  # "/1/"
    if decider_is_senior and is_head_office:
        return HEAD_OFFICE_SENIOR
    above = complaint_unit_path.startswith(decider_unit_path) and complaint_unit_path != decider_unit_path
    if decider_approves and above:
        return SUPERIOR_UNIT
    return None


def withdrawal_refusal(*, decided: bool, withdrawn: bool) -> str | None:
    if withdrawn:
        return "complaint_already_withdrawn"
    if decided:
        return "complaint_already_decided"
    return None


def pause_refusal(*, decided: bool, paused: bool, reason: str) -> str | None:
    if decided:
        return "complaint_already_decided"
    if paused:
        return "complaint_paused"
    if not reason.strip():
        return "pause_needs_reason"
    return None


def review_refusal(
    *, decided_at: datetime | None, withdrawn: bool, now: datetime, has_review: bool, config: ClockConfig
) -> str | None:
    """Why a review (核查) cannot be asked for: only a decided complaint, once, within the configured days of the
    decision (counted as the law counts days)."""
    if withdrawn or decided_at is None:
        return "complaint_not_decided"
    if has_review:
        return "review_already_requested"
    if now > review_request_deadline(decided_at, config):
        return "review_too_late"
    return None


def review_request_deadline(decided_at: datetime, config: ClockConfig) -> datetime:
    # Not moved off days off: the complainant may ask on any day, through the portal.
    return period_end(
        decided_at,
        config.review_request_days,
        ClockConfig(counting=config.counting, roll_to_working_day=False, day_ends=config.day_ends),
        WorkingCalendar(),
    )


def regulator_alert_due(regulator_due: date | datetime, now: datetime, warn_days: int) -> bool:
    """Whether feedback owed to the regulator is within `warn_days` of its deadline (or past it)."""
    if isinstance(regulator_due, datetime):
        return regulator_due - now <= timedelta(days=warn_days)
    return (regulator_due - now.date()).days <= warn_days


def letter_needs_check(
    *, offer_amount: Decimal | None, check_above: Decimal | None, regulator_transfer: bool, check_regulator: bool
) -> bool:
    """Whether a decision letter waits for a second person before it is sent (the insurer's own rule)."""
    if regulator_transfer and check_regulator:
        return True
    return check_above is not None and offer_amount is not None and offer_amount > check_above
