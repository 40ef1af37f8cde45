"""A VTIMEZONE with yearly rules, built from the system's zoneinfo.

icalendar 7 can generate VTIMEZONE components itself (`Timezone.from_tzid`), but it writes
every switch as a long RDATE list. Outlook maps a zone to its own only when the switches are
yearly RRULEs with BYDAY ("last Sunday of March"), as Outlook itself writes them; so the rules
are derived here from one year's transitions and checked against zoneinfo for the years a
calendar covers.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    """One switch of the UTC offset: the wall time it happens at, in the offset before it."""

    local_start: datetime  # naive wall-clock time in the old offset
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def transitions_in(zone: ZoneInfo, year: int) -> list[Transition]:
    """The offset changes of `zone` during `year`, found by scanning (a few per year at most)."""
    found = []
    instant = datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    while instant < end:
        step = instant + timedelta(days=1)
        if _offset(zone, instant) != _offset(zone, step):
            # Narrow the day down to the minute of the switch.
            low, high = instant, step
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == _offset(zone, low):
                    low = middle
                else:
                    high = middle
            before, after = _offset(zone, low), _offset(zone, high)
            local = (high + before).replace(tzinfo=None, second=0, microsecond=0)
            if local.year == year:
                local_after = high.astimezone(zone)
                found.append(
                    Transition(
                        local_start=local,
                        offset_from=before,
                        offset_to=after,
                        name=local_after.tzname() or "",
                        is_dst=bool(local_after.dst()),
                    )
                )
        instant = step
    return found


def _byday(day: date) -> str:
    """'-1SU' for the last Sunday of its month, '2SU' for the second, and so on."""
    weekday = _WEEKDAYS[day.weekday()]
    days_in_month = _calendar.monthrange(day.year, day.month)[1]
    if day.day + 7 > days_in_month:
        return f"-1{weekday}"
    return f"{(day.day - 1) // 7 + 1}{weekday}"


def _nth_weekday(year: int, month: int, byday: str) -> date:
    ordinal, weekday = int(byday[:-2]), _WEEKDAYS.index(byday[-2:])
    days = [
        date(year, month, d)
        for d in range(1, _calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    return days[ordinal] if ordinal < 0 else days[ordinal - 1]


def _rule_holds(zone: ZoneInfo, rule: list[Transition], years: range) -> bool:
    """Whether the yearly rules derived from one year give zoneinfo's switches in `years`."""
    for year in years:
        actual = transitions_in(zone, year)
        if len(actual) != len(rule):
            return False
        for got, expected in zip(actual, rule, strict=True):
            day = _nth_weekday(year, expected.local_start.month, _byday(expected.local_start))
            if (
                got.local_start != datetime.combine(day, expected.local_start.time())
                or got.offset_from != expected.offset_from
                or got.offset_to != expected.offset_to
            ):
                return False
    return True


def _standard_only(zone: ZoneInfo, year: int) -> Timezone:
    """A zone without switches (or one whose rules changed): one fixed offset for the year."""
    instant = datetime(year, 7, 1, tzinfo=UTC).astimezone(zone)
    offset = instant.utcoffset() or timedelta(0)
    standard = TimezoneStandard()
    standard.add("DTSTART", datetime(year, 1, 1))
    standard.add("TZNAME", instant.tzname() or "")
    standard.add("TZOFFSETFROM", offset)
    standard.add("TZOFFSETTO", offset)
    return standard


@lru_cache(maxsize=32)
def yearly_vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """VTIMEZONE for `tzid` valid from `first_year` (its DTSTARTs) through `last_year`.

    Raises ValueError when the zone's switches do not follow one yearly rule over those years;
    the caller then falls back to icalendar's RDATE form, correct if less Outlook-friendly.
    """
    zone = ZoneInfo(tzid)
    rule = transitions_in(zone, first_year)
    if not _rule_holds(zone, rule, range(first_year, last_year + 1)):
        raise ValueError(f"{tzid} does not follow one yearly rule in {first_year}-{last_year}")
    timezone = Timezone()
    timezone.add("TZID", tzid)
    timezone.add("X-LIC-LOCATION", tzid)
    if not rule:
        timezone.add_component(_standard_only(zone, first_year))
        return timezone
    for transition in rule:
        part = TimezoneDaylight() if transition.is_dst else TimezoneStandard()
        part.add("DTSTART", transition.local_start)
        part.add(
            "RRULE",
            vRecur(
                freq="YEARLY",
                bymonth=transition.local_start.month,
                byday=_byday(transition.local_start),
            ),
        )
        part.add("TZNAME", transition.name)
        part.add("TZOFFSETFROM", transition.offset_from)
        part.add("TZOFFSETTO", transition.offset_to)
        timezone.add_component(part)
    return timezone


def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The Outlook-friendly yearly form when the zone allows it, else icalendar's RDATE list."""
    try:
        return yearly_vtimezone(tzid, first_year, last_year).copy(recursive=True)
    except ValueError:
        return Timezone.from_tzid(
            tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
        )
