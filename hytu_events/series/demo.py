"""`flask seed --demo`: a virtual coffee series every other Thursday at 9:00 to 9:30 that runs
across the spring change to summer time, published, with one date cancelled (with its reason)
and one date moved to another time. Added once: a second run finds it by its calendar UID.

Registrations for it come from series.demo_registrations, which finds the series with
`demo_series()`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..events.models import EventKind
from ..events.operations import EventDetails, cancel_event, update_event
from ..extensions import db
from ..local_time import local_to_utc
from .models import Frequency, Series
from .operations import create_series
from .recurrence import Rule

CALENDAR_UID = "demo-series-coffee@hytu-events"
#: Three dates in winter time, five in summer time.
DATES, DATES_BEFORE_THE_CHANGE = 8, 3
#: Which dates (from 0) are cancelled and moved.
CANCELLED, MOVED = 5, 1
MOVED_TO = time(13, 0)


def spring_change(year: int) -> date:
    """The last Sunday of March, when Finland moves to summer time."""
    last = date(year, 3, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def first_thursday(today: date) -> date:
    """The first date: three dates (every other Thursday) before the next spring change, or
    before this spring's while the series would still be running."""
    change = spring_change(today.year)
    if today > change + timedelta(weeks=2 * (DATES - DATES_BEFORE_THE_CHANGE)):
        change = spring_change(today.year + 1)
    thursday_before = change - timedelta(days=3)  # the change is on a Sunday
    return thursday_before - timedelta(weeks=2 * (DATES_BEFORE_THE_CHANGE - 1))


def demo_series() -> Series | None:
    """The demo series, if `seed_demo_series` has added it."""
    return db.session.scalars(sa.select(Series).where(Series.calendar_uid == CALENDAR_UID)).first()


def seed_demo_series(zone: ZoneInfo, now: datetime) -> Series | None:
    """Add the demo series unless it is there; returns it when added (the caller commits)."""
    if demo_series() is not None:
        return None
    first = first_thursday(now.astimezone(zone).date())
    start = local_to_utc(datetime.combine(first, time(9, 0)))
    details = EventDetails(
        kind=EventKind.VIRTUAL_COFFEE,
        title="HYTU-virtuaalikahvit joka toinen torstai",
        description=(
            "Puolen tunnin kahvihetki Teamsissa kuntien HYTE- ja turvallisuustyötä "
            "tekeville: kuulumiset, vinkit ja kysymykset suunnitelmatyöstä.\n\n"
            "Ilmoittaudu koko sarjaan tai vain niihin kertoihin, jotka sopivat sinulle."
        ),
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        venue=None,
        online_url="https://teams.example.fi/l/meetup-join/hytu-kahvit-torstaisin",
        online_url_public=True,
        capacity=25,
        registration_opens_at=None,
        registration_closes_at=None,
        asks_for_needs=False,
        title_sv="HYTU-virtuellt kaffe varannan torsdag",
        description_sv=(
            "En halvtimmes kaffestund i Teams för dem som arbetar med välfärd och säkerhet i "
            "kommunerna: nyheter, tips och frågor om planarbetet.\n\n"
            "Anmäl dig till hela serien eller bara till de gånger som passar dig."
        ),
        title_en="HYTU virtual coffee every other Thursday",
    )
    rule = Rule(
        frequency=Frequency.WEEKLY,
        interval=2,
        weekdays=("TH",),
        first_date=first,
        start_time=time(9, 0),
        count=DATES,
    )
    series = create_series(details, rule, creator=None, publish=True)
    series.calendar_uid = CALENDAR_UID
    dates = list(series.dates)
    for number, event in enumerate(dates):
        event.calendar_uid = f"demo-series-coffee-{number + 1}@hytu-events"
    db.session.flush()
    moved = dates[MOVED]
    moved_start = local_to_utc(datetime.combine(first + timedelta(weeks=2 * MOVED), MOVED_TO))
    update_event(
        moved.id,
        replace(
            EventDetails.of(moved),
            starts_at=moved_start,
            ends_at=moved_start + timedelta(minutes=30),
        ),
    )
    cancel_event(
        dates[CANCELLED].id,
        "Kahvit jäävät väliin pääsiäisen jälkeisen kuntakierroksen vuoksi.",
    )
    return series
