"""Dates added at the end of a series, and removed from it, without HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from hytu_events.events.operations import cancel_event, update_event
from hytu_events.extensions import db
from hytu_events.local_time import utc_to_local
from hytu_events.models import AuditEntry, Event, EventStatus
from hytu_events.plan.models import Measure, event_measures
from hytu_events.plan.seed import seed_plan
from hytu_events.series import ends
from hytu_events.series.changes import publish_drafts
from hytu_events.series.models import Series
from hytu_events.series.recurrence import MAX_DATES, RuleError
from tests.helpers import municipality
from tests.series.helpers import make_series
from tests.series.test_changes import SIGNALS, at, edited, sent


def _dates(series: Series) -> list[Event]:
    db.session.expire_all()
    return list(db.session.get(Series, series.id).dates)


def test_dates_added_at_the_end_are_like_the_others(app, coordinator):
    seed_plan()
    series = make_series(coordinator, count=3)
    db.session.commit()
    last = series.dates[2]
    last.municipalities = [municipality("salla")]
    measure = db.session.scalars(sa.select(Measure).order_by(Measure.id)).first()
    db.session.execute(sa.insert(event_measures).values(event_id=last.id, measure_id=measure.id))
    db.session.commit()
    with sent(*SIGNALS) as seen:
        change = ends.change_end(series.id, count=5, creator=coordinator)
        db.session.commit()
    assert seen["series-changed"] == [series] and seen["event-changed"] == []
    dates = _dates(series)
    added = dates[3:]
    assert [a.id for a in change.added] == [a.id for a in added]
    assert [utc_to_local(e.starts_at) for e in added] == [
        datetime(2027, 4, 22, 9),
        datetime(2027, 5, 6, 9),
    ]
    for event in added:
        assert event.status is EventStatus.PUBLISHED
        assert (event.title, event.capacity) == (series.title, 20)
        assert [m.slug for m in event.municipalities] == ["salla"]
        assert event.recurrence_id == event.starts_at
    linked = db.session.scalars(
        sa.select(event_measures.c.event_id).where(event_measures.c.measure_id == measure.id)
    ).all()
    assert sorted(linked) == sorted([last.id, *(e.id for e in added)])
    series = db.session.get(Series, series.id)
    assert (series.number_of_dates, series.revision) == (5, 1)


def test_new_dates_are_at_the_series_time_even_after_a_moved_last_date(app, coordinator):
    series = make_series(coordinator, count=2, publish=False)
    db.session.commit()
    last = series.dates[1]
    update_event(last.id, edited(last, at(date(2027, 3, 25), 14)))
    db.session.commit()
    change = ends.change_end(series.id, until=date(2027, 4, 8), creator=coordinator)
    db.session.commit()
    (new,) = change.added
    assert utc_to_local(new.starts_at) == datetime(2027, 4, 8, 9)  # summer time, still 9:00
    assert utc_to_local(new.ends_at) == datetime(2027, 4, 8, 9, 30)
    assert new.status is EventStatus.DRAFT  # a draft series stays one
    assert db.session.get(Series, series.id).ends_on == date(2027, 4, 8)


def test_removing_dates_deletes_drafts_and_cancels_published_ones_with_the_reason(app, coordinator):
    series = make_series(coordinator, count=5, publish=False)
    db.session.commit()
    for event in series.dates[:4]:
        event.status = EventStatus.PUBLISHED
    db.session.commit()
    fifth_id = series.dates[4].id
    with sent(*SIGNALS) as seen:
        change = ends.change_end(
            series.id, count=3, reason="Kevään kahvit päättyvät.", creator=coordinator
        )
        db.session.commit()
    # One update of the series, not a cancellation per date.
    assert seen == {"series-changed": [series], "event-changed": [], "event-cancelled": []}
    assert change.deleted == 1 and db.session.get(Event, fifth_id) is None
    dates = _dates(series)
    assert [e.status for e in dates] == [EventStatus.PUBLISHED] * 3 + [EventStatus.CANCELLED]
    assert dates[3].cancellation_reason == "Kevään kahvit päättyvät."
    assert dates[3].revision == 1
    series = db.session.get(Series, series.id)
    assert (series.number_of_dates, series.revision) == (3, 1)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.target_type == "series")
    ).all()
    assert actions[-1] == "series.shortened"


def test_published_dates_are_not_removed_without_a_reason(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    with pytest.raises(ends.EndRefused) as refused:
        ends.change_end(series.id, count=2, reason="  ", creator=coordinator)
    assert refused.value.why == ends.EndRefused.REASON_NEEDED


def test_dates_that_have_begun_are_not_removed(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    with pytest.raises(ends.EndRefused) as refused:
        ends.change_end(
            series.id,
            count=1,
            reason="Loppu.",
            creator=coordinator,
            now=datetime(2027, 3, 26, tzinfo=UTC),
        )
    assert refused.value.why == ends.EndRefused.DATES_HELD


def test_cancelled_dates_at_the_end_may_go_even_if_past(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    cancel_event(series.dates[2].id, "Ei pidetä.")
    db.session.commit()
    change = ends.change_end(
        series.id, count=2, creator=coordinator, now=datetime(2027, 4, 9, tzinfo=UTC)
    )
    assert change.deleted == 0 and change.cancelled == []


@pytest.mark.parametrize(
    ("end", "error"),
    [
        ({"count": 3}, ends.EndRefused),  # the same dates
        ({"count": MAX_DATES + 1}, RuleError),
        ({"until": date(2027, 3, 1)}, RuleError),  # before the first date
    ],
)
def test_an_end_that_changes_nothing_or_makes_no_series_is_refused(app, coordinator, end, error):
    series = make_series(coordinator, count=3)
    db.session.commit()
    with pytest.raises(error):
        ends.change_end(series.id, **end, creator=coordinator)
    db.session.rollback()
    assert len(_dates(series)) == 3


def test_publishing_after_adding_to_a_draft_series(app, coordinator):
    series = make_series(coordinator, count=1, publish=False)
    db.session.commit()
    ends.change_end(series.id, count=2, creator=coordinator)
    assert len(publish_drafts(series.id)) == 2
    db.session.commit()
    dates = _dates(series)
    assert [utc_to_local(e.starts_at).time() for e in dates] == [time(9)] * 2
    assert {e.status for e in dates} == {EventStatus.PUBLISHED}
