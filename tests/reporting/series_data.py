"""Series with dates already held, for the dashboard's and the report's series lines."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hytu_events.extensions import db
from hytu_events.models import Frequency
from hytu_events.series import operations
from hytu_events.series.recurrence import WEEKDAY_CODES, Rule
from tests.series.helpers import coffee_details


def weekly_series(first_day: date, count: int, title: str = "HYTU-virtuaalikahvit"):
    """A published weekly series at 9:00 to 9:30 from `first_day`, its dates in order."""
    rule = Rule(
        frequency=Frequency.WEEKLY,
        interval=1,
        weekdays=(WEEKDAY_CODES[first_day.weekday()],),
        first_date=first_day,
        start_time=time(9, 0),
        count=count,
    )
    details = coffee_details(datetime.combine(first_day, time(9, 0)), title=title)
    series = operations.create_series(details, rule, None, publish=True)
    db.session.commit()
    return series, list(series.dates)


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)
