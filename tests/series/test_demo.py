"""The demo series of `flask seed --demo`: every other Thursday across the change to summer
time, one date cancelled and one moved; added once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from hytu_events.cli import seed_demo_events
from hytu_events.extensions import db
from hytu_events.local_time import utc_to_local
from hytu_events.models import Event, EventStatus
from hytu_events.series import demo
from hytu_events.series.models import Series

ZONE = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 12, 1), date(2027, 2, 25)),  # the coming spring
        (date(2027, 4, 1), date(2027, 2, 25)),  # running now
        (date(2027, 7, 1), date(2028, 2, 24)),  # over: next spring's
    ],
)
def test_the_first_thursday_keeps_three_dates_before_the_change(today, first):
    assert demo.first_thursday(today) == first
    assert first.weekday() == 3
    change = demo.spring_change(first.year)
    assert change.weekday() == 6 and change.month == 3 and change.day > 24


def test_the_demo_series_across_the_change_to_summer_time(app):
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    series = demo.seed_demo_series(ZONE, now)
    db.session.commit()
    dates = series.dates
    assert len(dates) == 8 and series.every == 2 and series.weekdays == "TH"
    local = [utc_to_local(event.starts_at) for event in dates]
    assert [start.date().weekday() for start in local] == [3] * 8
    by_rule = [utc_to_local(event.recurrence_id).time() for event in dates]
    assert by_rule == [time(9)] * 8
    # 9:00 is 07:00 UTC in winter and 06:00 UTC in summer.
    assert {event.recurrence_id.astimezone(UTC).hour for event in dates[:3]} == {7}
    assert {event.recurrence_id.astimezone(UTC).hour for event in dates[3:]} == {6}
    moved = [event for event in dates if event.starts_at != event.recurrence_id]
    assert [utc_to_local(event.starts_at).time() for event in moved] == [time(13)]
    cancelled = [event for event in dates if event.status is EventStatus.CANCELLED]
    assert len(cancelled) == 1 and cancelled[0].cancellation_reason
    assert {event.status for event in dates} - {EventStatus.CANCELLED} == {EventStatus.PUBLISHED}
    assert demo.demo_series() is series


def test_seeding_the_demo_again_adds_nothing(app):
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    seed_demo_events(ZONE, now)
    db.session.commit()
    counts = (
        db.session.scalar(sa.select(sa.func.count()).select_from(Series)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Event)),
    )
    assert counts[0] == 1
    assert seed_demo_events(ZONE, now) == 0
    db.session.commit()
    assert counts == (
        db.session.scalar(sa.select(sa.func.count()).select_from(Series)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Event)),
    )
