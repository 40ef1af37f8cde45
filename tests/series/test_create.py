"""Creating a series makes its dates by the rule, on the wall clock, each an event of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.local_time import utc_to_local
from hytu_events.models import AuditEntry, Event, EventStatus, Frequency
from hytu_events.series import operations
from hytu_events.series.recurrence import MAX_DATES, Rule, RuleError
from tests.series.helpers import FIRST_DATE, coffee_details, every_other_thursday, make_series


def test_every_other_thursday_stays_at_nine_across_the_change_to_summer_time(app, coordinator):
    series = make_series(coordinator, count=4)
    db.session.commit()
    starts = [event.starts_at for event in series.dates]
    # 9:00 in Helsinki is 07:00 UTC in winter and 06:00 UTC from 28 March 2027.
    assert starts == [
        datetime(2027, 3, 11, 7, tzinfo=UTC),
        datetime(2027, 3, 25, 7, tzinfo=UTC),
        datetime(2027, 4, 8, 6, tzinfo=UTC),
        datetime(2027, 4, 22, 6, tzinfo=UTC),
    ]
    assert [utc_to_local(event.ends_at).time() for event in series.dates] == [time(9, 30)] * 4
    assert [event.recurrence_id for event in series.dates] == starts


def test_each_date_is_an_event_with_the_series_details(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    for event in series.dates:
        assert event.series_id == series.id
        assert event.title == series.title == "HYTU-virtuaalikahvit"
        assert event.capacity == 20
        assert event.status is EventStatus.PUBLISHED
        assert event.coordinators == [coordinator]
    assert len({event.calendar_uid for event in series.dates}) == 3
    assert series.minutes == 30


def test_drafts_unless_published(app, coordinator):
    series = make_series(coordinator, count=2, publish=False)
    db.session.commit()
    assert {event.status for event in series.dates} == {EventStatus.DRAFT}


def test_the_registration_window_keeps_its_wall_clock_distance_from_each_date(app, coordinator):
    first = datetime.combine(FIRST_DATE, time(9, 0))
    details = coffee_details(
        registration_closes_at=coffee_details().starts_at - timedelta(hours=1),
    )
    series = operations.create_series(details, every_other_thursday(3), coordinator)
    db.session.commit()
    closes = [utc_to_local(event.registration_closes_at) for event in series.dates]
    assert closes == [first - timedelta(hours=1) + timedelta(weeks=2 * n) for n in range(3)]


def test_a_series_ends_on_its_last_day_inclusive(app, coordinator):
    rule = every_other_thursday(count=None, until=date(2027, 4, 8))
    series = operations.create_series(coffee_details(), rule, coordinator)
    db.session.commit()
    assert [utc_to_local(e.starts_at).date() for e in series.dates] == [
        date(2027, 3, 11),
        date(2027, 3, 25),
        date(2027, 4, 8),
    ]


def test_the_second_thursday_of_each_month(app, coordinator):
    rule = Rule(
        frequency=Frequency.MONTHLY,
        interval=1,
        weekdays=("TH",),
        week_of_month=2,
        first_date=date(2027, 1, 14),
        start_time=time(9, 0),
        count=4,
    )
    details = coffee_details(datetime(2027, 1, 14, 9, 0))
    series = operations.create_series(details, rule, coordinator)
    db.session.commit()
    assert [utc_to_local(e.starts_at).date() for e in series.dates] == [
        date(2027, 1, 14),
        date(2027, 2, 11),
        date(2027, 3, 11),
        date(2027, 4, 8),
    ]


@pytest.mark.parametrize(
    "rule",
    [
        every_other_thursday(first_date=date(2027, 3, 12)),  # a Friday: off its own rule
        every_other_thursday(count=MAX_DATES + 1),
        every_other_thursday(count=None),  # no end
        every_other_thursday(count=3, until=date(2027, 5, 1)),  # two ends
        every_other_thursday(weekdays=("XX",)),
        every_other_thursday(interval=0),
    ],
)
def test_a_rule_that_makes_no_series_is_refused_and_nothing_is_saved(app, coordinator, rule):
    with pytest.raises(RuleError):
        operations.create_series(coffee_details(), rule, coordinator)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_creation_is_in_the_series_and_the_dates_history(app, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["event.created", "event.created", "series.created"]
    assert MAX_DATES == 104
    assert series.revision == 0
