"""The working calendar: which days are worked and between which hours, in the deployment's time zone.

Shared by the approvals of discretion (a deadline in working hours) and the regulatory clock of complaints (a
period whose last day falls on a day off ends on the next working day: 《民法典》第二百零三条). Public holidays
and the weekend days worked instead (调休) change every year by State Council notice, so they are configuration
(`AMENDS_WORKING_CALENDAR`). The arithmetic here is pure; `working_calendar()` reads the settings once per call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_date


@dataclass(frozen=True)
class WorkingCalendar:
    start: time = time(9, 0)
    end: time = time(18, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    holidays: frozenset[date] = frozenset()  # days off that fall on weekdays
    workdays: frozenset[date] = frozenset()  # weekend days worked instead (调休)

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is worked, else the first worked day after it."""
        for _ in range(3660):  # ten years of days off would be a configuration error
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day found within ten years")


def add_working_hours(start: datetime, hours: float, calendar: WorkingCalendar) -> datetime:
    """`start` (aware, in the calendar's zone) plus `hours` of working time: outside hours the clock waits
    for the next working day's opening."""
    if calendar.end <= calendar.start:
        raise ValueError("the working day must end after it starts")
    left = timedelta(hours=hours)
    moment = start
    for _day in range(3660):  # ten years of days off would be a configuration error
        day = moment.date()
        opens = moment.replace(hour=calendar.start.hour, minute=calendar.start.minute, second=0, microsecond=0)
        closes = moment.replace(hour=calendar.end.hour, minute=calendar.end.minute, second=0, microsecond=0)
        if calendar.is_working_day(day) and moment < closes:
            moment = max(moment, opens)
            if moment + left <= closes:
                return moment + left
            left -= closes - moment
        moment = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    raise ValueError("no working time found within ten years")


def working_calendar() -> WorkingCalendar:
    conf: dict[str, Any] = settings.AMENDS_WORKING_CALENDAR
    return WorkingCalendar(
        start=time.fromisoformat(conf["start"]),
        end=time.fromisoformat(conf["end"]),
        weekdays=frozenset(conf["weekdays"]),
        holidays=frozenset(d for d in (parse_date(x) for x in conf["holidays"]) if d),
        workdays=frozenset(d for d in (parse_date(x) for x in conf["workdays"]) if d),
    )
