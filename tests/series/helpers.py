"""A virtual coffee series as the demo has it: every other Thursday at 9:00 to 9:30."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hytu_events.events.operations import EventDetails
from hytu_events.local_time import local_to_utc, utc_to_local
from hytu_events.models import EventKind, Frequency
from hytu_events.series import operations
from hytu_events.series.recurrence import WEEKDAY_CODES, Rule

#: Across the change to summer time (Sunday 28 March 2027 in Finland).
FIRST_DATE = date(2027, 3, 11)


def coffee_details(first: datetime | None = None, **changes) -> EventDetails:
    start = local_to_utc(first or datetime.combine(FIRST_DATE, time(9, 0)))
    values = dict(
        kind=EventKind.VIRTUAL_COFFEE,
        title="HYTU-virtuaalikahvit",
        description="Puoli tuntia kuulumisia ja vinkkejä.",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        venue=None,
        online_url="https://teams.example/meet/kahvit",
        online_url_public=True,
        capacity=20,
        registration_opens_at=None,
        registration_closes_at=None,
        asks_for_needs=False,
    )
    values.update(changes)
    return EventDetails(**values)


def every_other_thursday(count: int = 6, **changes) -> Rule:
    values = dict(
        frequency=Frequency.WEEKLY,
        interval=2,
        weekdays=("TH",),
        first_date=FIRST_DATE,
        start_time=time(9, 0),
        count=count,
    )
    values.update(changes)
    return Rule(**values)


def make_series(creator, *, count: int = 6, publish: bool = True, **changes):
    return operations.create_series(
        coffee_details(**changes), every_other_thursday(count), creator, publish=publish
    )


def make_upcoming_series(count: int = 3, **changes):
    """A published weekly series whose first date is a week from now at 9:00, run by nobody
    in particular (for tests that need any series)."""
    day = utc_to_local(datetime.now(UTC)).date() + timedelta(weeks=1)
    rule = Rule(
        frequency=Frequency.WEEKLY,
        interval=1,
        weekdays=(WEEKDAY_CODES[day.weekday()],),
        first_date=day,
        start_time=time(9, 0),
        count=count,
    )
    details = coffee_details(datetime.combine(day, time(9, 0)), **changes)
    return operations.create_series(details, rule, None, publish=True)
