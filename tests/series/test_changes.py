"""Changing all dates, or a date and the following ones (a split), without HTTP."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from hytu_events.events.operations import EventDetails, cancel_event, update_event
from hytu_events.events.signals import event_cancelled, event_changed
from hytu_events.extensions import db
from hytu_events.local_time import local_to_utc, utc_to_local
from hytu_events.models import AuditEntry, Event, EventStatus
from hytu_events.series import changes, operations
from hytu_events.series.models import Series
from hytu_events.series.recurrence import Rule
from hytu_events.series.signals import series_changed
from tests.registrations.people import register_people
from tests.series.helpers import coffee_details, every_other_thursday, make_series


@contextmanager
def sent(*signals):
    """What each signal was sent for inside the block: {signal name: [senders]}."""
    seen = {signal.name: [] for signal in signals}
    receivers = []
    for signal in signals:

        def receiver(sender, _name=signal.name, **_):
            seen[_name].append(sender)

        receivers.append(receiver)
        signal.connect(receiver)
    try:
        yield seen
    finally:
        for signal, receiver in zip(signals, receivers, strict=True):
            signal.disconnect(receiver)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)))


def edited(event: Event, start: datetime, minutes: int = 30, **changes) -> EventDetails:
    """The form of `event` as sent: a new start and length, and any other changes."""
    details = EventDetails.of(event)
    return replace(details, starts_at=start, ends_at=start + timedelta(minutes=minutes), **changes)


def local_times(series: Series) -> list[tuple[date, time, time]]:
    db.session.expire_all()
    return [
        (
            utc_to_local(e.starts_at).date(),
            utc_to_local(e.starts_at).time(),
            utc_to_local(e.ends_at).time(),
        )
        for e in db.session.get(Series, series.id).dates
    ]


SIGNALS = (series_changed, event_changed, event_cancelled)


def test_all_dates_move_to_ten_on_their_own_days_with_one_series_update(app, coordinator):
    series = make_series(coordinator, count=4)
    db.session.commit()
    third = series.dates[2]
    with sent(*SIGNALS) as seen:
        changes.edit_all(
            series.id, third.id, edited(third, at(date(2027, 4, 8), 10), 45, title="Kahvit")
        )
        db.session.commit()
    assert seen == {"series-changed": [series], "event-changed": [], "event-cancelled": []}
    assert local_times(series) == [
        (day, time(10), time(10, 45))
        for day in (date(2027, 3, 11), date(2027, 3, 25), date(2027, 4, 8), date(2027, 4, 22))
    ]
    series = db.session.get(Series, series.id)
    assert (series.title, series.start_time, series.minutes, series.revision) == (
        "Kahvit",
        time(10),
        45,
        1,
    )
    # Calendars find each date in the new rule: its recurrence id is its new start.
    assert [e.recurrence_id for e in series.dates] == Rule.of(series).starts(app_zone(app))
    assert {e.title for e in series.dates} == {"Kahvit"}
    assert all(e.revision == 1 for e in series.dates)  # published dates that moved


def app_zone(app):
    from zoneinfo import ZoneInfo

    return ZoneInfo(app.config["HYTU_TIMEZONE"])


def test_all_dates_leave_ended_and_cancelled_ones_as_they_were(app, coordinator):
    series = make_series(coordinator, count=4)
    db.session.commit()
    first, second = series.dates[0], series.dates[1]
    cancel_event(second.id, "Ei tällä kertaa.")
    db.session.commit()
    after_the_first = datetime(2027, 3, 12, tzinfo=UTC)
    last = series.dates[3]
    changes.edit_all(series.id, last.id, edited(last, at(date(2027, 4, 22), 10)), after_the_first)
    db.session.commit()
    times = local_times(series)
    assert times[0] == (date(2027, 3, 11), time(9), time(9, 30))  # held
    assert times[1] == (date(2027, 3, 25), time(9), time(9, 30))  # cancelled
    assert times[2:] == [
        (date(2027, 4, 8), time(10), time(10, 30)),
        (date(2027, 4, 22), time(10), time(10, 30)),
    ]
    db.session.refresh(first)
    assert first.revision == 0 and first.recurrence_id == at(date(2027, 3, 11), 10)


def test_all_dates_undo_a_date_moved_on_its_own(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    moved = series.dates[1]
    update_event(moved.id, edited(moved, at(date(2027, 3, 25), 13)))  # this date only
    db.session.commit()
    assert moved.recurrence_id == at(date(2027, 3, 25), 9)  # its place in the rule stays
    first = series.dates[0]
    changes.edit_all(series.id, first.id, edited(first, at(date(2027, 3, 11), 9), 60))
    db.session.commit()
    assert [t[1:] for t in local_times(series)] == [(time(9), time(10))] * 3


def test_a_change_to_several_dates_keeps_each_on_its_day(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    second = series.dates[1]
    with pytest.raises(changes.NotOnItsDay) as refused:
        changes.edit_all(series.id, second.id, edited(second, at(date(2027, 3, 26), 9)))
    assert refused.value.day == date(2027, 3, 25)


def test_capacity_goes_through_each_dates_rule(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    register_people(series.dates[2], 5)
    first = series.dates[0]
    with pytest.raises(changes.CapacityRefused) as refused:
        changes.edit_all(series.id, first.id, edited(first, first.starts_at, capacity=4))
    assert (refused.value.event.id, refused.value.confirmed) == (series.dates[2].id, 5)
    db.session.rollback()
    changes.edit_all(series.id, first.id, edited(first, first.starts_at, capacity=5))
    db.session.commit()
    assert {e.capacity for e in db.session.get(Series, series.id).dates} == {5}


def test_only_capacity_changed_is_no_calendar_update(app, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    first = series.dates[0]
    with sent(*SIGNALS) as seen:
        changes.edit_all(series.id, first.id, edited(first, first.starts_at, capacity=30))
    assert seen["series-changed"] == [] and series.revision == 0


def test_this_and_the_following_dates_split_the_series(app, coordinator):
    series = make_series(coordinator, count=5)
    db.session.commit()
    old_uid, third = series.calendar_uid, series.dates[2]
    with sent(*SIGNALS) as seen:
        rest = changes.edit_following(
            series.id, third.id, edited(third, at(date(2027, 4, 8), 10), venue="Lapin liitto")
        )
        db.session.commit()
    series = db.session.get(Series, series.id)
    assert seen["series-changed"] == [series, rest] and seen["event-changed"] == []
    assert series.calendar_uid == old_uid and rest.calendar_uid != old_uid
    assert [utc_to_local(e.starts_at) for e in series.dates] == [
        datetime(2027, 3, 11, 9),
        datetime(2027, 3, 25, 9),
    ]
    assert (series.number_of_dates, series.revision, series.venue) == (2, 1, None)
    assert [utc_to_local(e.starts_at) for e in rest.dates] == [
        datetime(2027, 4, 8, 10),
        datetime(2027, 4, 22, 10),
        datetime(2027, 5, 6, 10),
    ]
    assert (rest.first_date, rest.start_time, rest.number_of_dates) == (
        date(2027, 4, 8),
        time(10),
        3,
    )
    assert rest.venue == "Lapin liitto" and {e.venue for e in rest.dates} == {"Lapin liitto"}
    assert [e.recurrence_id for e in rest.dates] == Rule.of(rest).starts(app_zone(app))
    assert Rule.of(series).starts(app_zone(app)) == [e.recurrence_id for e in series.dates]
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.target_type == "series")
    ).all()
    assert actions[-2:] == ["series.updated", "series.split"]


def test_a_split_of_a_series_with_an_end_date_ends_the_first_part_the_day_before(app, coordinator):
    rule = every_other_thursday(count=None, until=date(2027, 4, 22))
    series = operations.create_series(coffee_details(), rule, coordinator, publish=True)
    db.session.commit()
    second = series.dates[1]
    rest = changes.edit_following(series.id, second.id, edited(second, second.starts_at))
    db.session.commit()
    series = db.session.get(Series, series.id)
    assert series.ends_on == date(2027, 3, 24) and len(series.dates) == 1
    assert rest.ends_on == date(2027, 4, 22) and len(rest.dates) == 3


def test_the_following_dates_from_the_first_are_all_dates(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    first = series.dates[0]
    same = changes.edit_following(series.id, first.id, edited(first, at(date(2027, 3, 11), 8)))
    assert same is series
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == 1


def test_publish_all_drafts_then_nothing_left_to_publish(app, coordinator):
    series = make_series(coordinator, count=3, publish=False)
    db.session.commit()
    assert len(changes.publish_drafts(series.id)) == 3
    db.session.commit()
    assert {e.status for e in series.dates} == {EventStatus.PUBLISHED}
    with pytest.raises(changes.SeriesStateError):
        changes.publish_drafts(series.id)


def test_a_series_of_drafts_is_deleted_with_them(app, coordinator):
    series = make_series(coordinator, count=3, publish=False)
    db.session.commit()
    series_id = series.id
    changes.delete_series(series_id)
    db.session.commit()
    assert db.session.get(Series, series_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "series.deleted")
    ).one()
    assert entry.target_id == series_id


def test_a_series_with_a_published_date_is_not_deleted(app, coordinator):
    series = make_series(coordinator, count=2, publish=False)
    db.session.commit()
    changes.publish_drafts(series.id)
    db.session.commit()
    with pytest.raises(changes.SeriesStateError):
        changes.delete_series(series.id)
