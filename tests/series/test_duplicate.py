"""The duplicate form: repeated copies are a series; a plain copy keeps what the original is
linked to (measures, partner organisations, coordinators)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.local_time import utc_to_local
from hytu_events.models import Event, EventStatus, Frequency
from hytu_events.plan.models import Measure, event_measures
from hytu_events.plan.seed import seed_plan
from hytu_events.series.models import Series
from tests.helpers import make_event, organisation, post_form


def _original(coordinator) -> Event:
    seed_plan()
    # A Thursday at 9:00 in winter time; the copies run into summer time.
    event = make_event(
        title="HYTU-virtuaalikahvit",
        starts_at=datetime(2027, 3, 11, 7, tzinfo=UTC),
        organisations=[organisation("lapin-amk")],
    )
    event.coordinators = [coordinator]
    measures = db.session.scalars(sa.select(Measure.id).order_by(Measure.id).limit(2)).all()
    for measure_id in measures:
        db.session.execute(
            sa.insert(event_measures).values(event_id=event.id, measure_id=measure_id)
        )
    db.session.commit()
    return event


def _measures(event: Event) -> list[int]:
    return sorted(
        db.session.scalars(
            sa.select(event_measures.c.measure_id).where(event_measures.c.event_id == event.id)
        )
    )


def test_repeated_copies_are_a_series(staff, coordinator):
    original = _original(coordinator)
    response = post_form(
        staff,
        f"/admin/events/{original.id}/duplicate?lang=en",
        {"every_weeks": "2", "times": "4", "publish": "y"},
    )
    (series,) = db.session.scalars(sa.select(Series)).all()
    assert response.headers["Location"] == f"/admin/series/{series.id}"
    assert (series.frequency, series.every, series.weekdays, series.number_of_dates) == (
        Frequency.WEEKLY,
        2,
        "TH",
        4,
    )
    assert [utc_to_local(e.starts_at) for e in series.dates] == [
        datetime(2027, 3, 25, 9),
        datetime(2027, 4, 8, 9),  # summer time, still 9:00
        datetime(2027, 4, 22, 9),
        datetime(2027, 5, 6, 9),
    ]
    for date in series.dates:
        assert date.status is EventStatus.PUBLISHED
        assert _measures(date) == _measures(original)
        assert [o.slug for o in date.organisations] == ["lapin-amk"]
        assert date.coordinators == [coordinator]
        assert date.ends_at - date.starts_at == timedelta(hours=3)
    db.session.refresh(original)
    assert original.series_id is None


def test_a_plain_copy_keeps_measures_partners_and_coordinators(staff, coordinator):
    original = _original(coordinator)
    response = post_form(
        staff, f"/admin/events/{original.id}/duplicate", {"every_weeks": "0", "times": "1"}
    )
    assert response.status_code == 303
    copy = db.session.scalars(sa.select(Event).where(Event.id != original.id)).one()
    assert copy.series_id is None and copy.status is EventStatus.DRAFT
    assert _measures(copy) == _measures(original) and len(_measures(copy)) == 2
    assert [o.slug for o in copy.organisations] == ["lapin-amk"]
    assert copy.coordinators == [coordinator]
    assert db.session.scalars(sa.select(Series)).all() == []


def test_one_copy_some_weeks_later_is_a_copy_not_a_series(staff, coordinator):
    original = _original(coordinator)
    post_form(staff, f"/admin/events/{original.id}/duplicate", {"every_weeks": "3", "times": "1"})
    copy = db.session.scalars(sa.select(Event).where(Event.id != original.id)).one()
    assert utc_to_local(copy.starts_at) == datetime(2027, 4, 1, 9)
    assert copy.series_id is None and _measures(copy) == _measures(original)
