"""A series' rule: its dates by python-dateutil's rrule, and the RRULE calendars receive.

Dates are expanded in the network's wall time and only then turned into UTC, so a coffee at 9:00
is at 9:00 before and after the change to summer time (07:00 UTC in winter, 06:00 in summer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule

from ..copying import copied
from .models import Frequency, Series

#: RFC 5545 weekday codes, Monday first, as rrule and iCalendar both name them.
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAYS = dict(zip(WEEKDAY_CODES, rrule.weekdays, strict=True))
_FREQUENCIES = {Frequency.WEEKLY: rrule.WEEKLY, Frequency.MONTHLY: rrule.MONTHLY}
#: No series has more dates than this (two years of weekly coffees): a rule with no real end
#: would otherwise fill the database.
MAX_DATES = 104


class RuleError(ValueError):
    """The rule cannot make a series; the message says why, for the form."""


@dataclass(frozen=True)
class Rule:
    frequency: Frequency
    interval: int
    weekdays: tuple[str, ...]
    first_date: date
    start_time: time
    #: Monthly: the 1st to 4th such weekday of the month, -1 the last; None: weekly.
    week_of_month: int | None = None
    until: date | None = None
    count: int | None = None

    @classmethod
    def of(cls, series: Series) -> Rule:
        return copied(
            cls,
            series,
            interval=series.every,
            weekdays=series.weekday_codes,
            until=series.ends_on,
            count=series.number_of_dates,
        )

    @property
    def first_start(self) -> datetime:
        """The first date's start, naive, in wall time."""
        return datetime.combine(self.first_date, self.start_time)

    def _rrule(self) -> rrule.rrule:
        days = [_WEEKDAYS[code] for code in self.weekdays]
        if self.week_of_month is not None:
            days = [day(self.week_of_month) for day in days]
        return rrule.rrule(
            _FREQUENCIES[self.frequency],
            dtstart=self.first_start,
            interval=self.interval,
            byweekday=days,
            # The last moment of the last day: a date on `until` counts whatever its time.
            until=datetime.combine(self.until, time.max) if self.until is not None else None,
            count=self.count,
        )

    def check(self) -> None:
        """Raise RuleError unless the rule makes between 1 and MAX_DATES dates, the first
        being `first_date` (RFC 5545 leaves a start off its own rule undefined)."""
        if self.interval < 1:
            raise RuleError("the interval must be at least 1")
        if not self.weekdays or any(code not in _WEEKDAYS for code in self.weekdays):
            raise RuleError("unknown weekday")
        if (self.until is None) == (self.count is None):
            raise RuleError("a series ends on a date or after a number of dates")
        if self.frequency is Frequency.MONTHLY and len(self.weekdays) != 1:
            raise RuleError("a monthly series falls on one weekday")
        starts = list(islice(self._rrule(), MAX_DATES + 1))
        if not starts or starts[0] != self.first_start:
            raise FirstDateOffRule
        if len(starts) > MAX_DATES:
            raise TooManyDates

    def local_starts(self) -> list[datetime]:
        """Every date's start, naive, in wall time."""
        return list(islice(self._rrule(), MAX_DATES))

    def starts(self, zone: ZoneInfo) -> list[datetime]:
        """Every date's start as aware UTC."""
        return [start.replace(tzinfo=zone).astimezone(UTC) for start in self.local_starts()]

    def ical(self, zone: ZoneInfo) -> dict:
        """The RRULE's parts for icalendar's vRecur. UNTIL is the last start in UTC, as RFC 5545
        requires beside a DTSTART with a TZID (it is inclusive, so the last date counts)."""
        parts: dict = {"FREQ": self.frequency.value.upper()}
        if self.interval != 1:
            parts["INTERVAL"] = self.interval
        if self.week_of_month is not None:
            parts["BYDAY"] = [f"{self.week_of_month}{code}" for code in self.weekdays]
        else:
            parts["BYDAY"] = list(self.weekdays)
        if self.count is not None:
            parts["COUNT"] = self.count
        else:
            parts["UNTIL"] = self.starts(zone)[-1]
        return parts


class FirstDateOffRule(RuleError):
    def __init__(self):
        super().__init__("the first date is not one of the rule's days")


class TooManyDates(RuleError):
    def __init__(self):
        super().__init__(f"a series has at most {MAX_DATES} dates")
