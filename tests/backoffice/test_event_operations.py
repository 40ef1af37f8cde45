"""Event operations called directly: the revision rule, state changes, repeated duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from hytu_events.events import operations
from hytu_events.events.models import Event, EventStatus
from hytu_events.extensions import db
from hytu_events.models import AuditEntry
from tests.helpers import make_event

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", datetime(2030, 1, 1, 8, tzinfo=UTC)),
        ("ends_at", datetime(2030, 3, 1, 8, tzinfo=UTC)),
        ("venue", "Sodankylän kunnantalo"),
        ("online_url", "https://teams.example/meet/1"),
        ("status", EventStatus.CANCELLED),
    ],
)
def test_time_place_or_status_of_a_published_event_raises_the_revision_by_one(app, field, value):
    event = make_event(starts_at=datetime(2030, 2, 1, 8, tzinfo=UTC))
    changed = operations.apply_changes(event, {field: value})
    assert changed == {field}
    assert event.revision == 1


def test_other_changes_and_unchanged_values_keep_the_revision(app):
    event = make_event()
    operations.apply_changes(
        event,
        {
            "title": "Uusi otsikko",
            "description": "Toinen kuvaus",
            "capacity": 99,
            "venue": event.venue,  # the same place again
            "starts_at": event.starts_at,
        },
    )
    assert event.revision == 0


def test_several_changes_at_once_raise_the_revision_once(app):
    event = make_event()
    operations.apply_changes(
        event,
        {"starts_at": event.starts_at + timedelta(hours=1), "venue": "Toinen paikka"},
    )
    assert event.revision == 1


def test_changes_to_a_draft_and_publishing_it_keep_revision_zero(app):
    event = make_event(status=EventStatus.DRAFT)
    operations.apply_changes(event, {"venue": "Muualla", "starts_at": event.starts_at})
    db.session.commit()
    operations.publish_event(event.id)
    db.session.commit()
    assert event.revision == 0
    assert event.status is EventStatus.PUBLISHED


def test_cancelling_a_published_event_raises_the_revision_and_keeps_the_reason(app):
    event = make_event()
    operations.cancel_event(event.id, "  Kouluttaja sairastui.  ")
    db.session.commit()
    assert (event.status, event.revision) == (EventStatus.CANCELLED, 1)
    assert event.cancellation_reason == "Kouluttaja sairastui."


def test_state_rules(app):
    published = make_event()
    draft = make_event(status=EventStatus.DRAFT)
    with pytest.raises(operations.EventStateError):
        operations.publish_event(published.id)
    with pytest.raises(operations.EventStateError):
        operations.delete_draft(published.id)
    with pytest.raises(operations.EventStateError):
        operations.cancel_event(draft.id, "syy")
    with pytest.raises(ValueError):
        operations.cancel_event(published.id, "   ")
    operations.delete_draft(draft.id)
    db.session.commit()
    assert db.session.get(Event, draft.id) is None
    deleted = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "event.deleted")
    ).one()
    assert deleted.target_id == draft.id


def test_repeat_duplicate_makes_a_weekly_run_on_the_same_wall_clock_time(app, coordinator):
    # 9.00 Helsinki time on a Friday in March: the run crosses the change to summer time.
    start = datetime(2030, 3, 15, 9, 0, tzinfo=HELSINKI).astimezone(UTC)
    original = make_event(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        registration_closes_at=start - timedelta(days=1),
        title="Virtuaalikahvit",
    )
    copies = operations.duplicate_event(original.id, coordinator, every_weeks=2, times=4)
    db.session.commit()
    assert len(copies) == 4
    local_starts = [c.starts_at.astimezone(HELSINKI) for c in copies]
    assert [s.date().isoformat() for s in local_starts] == [
        "2030-03-29",
        "2030-04-12",
        "2030-04-26",
        "2030-05-10",
    ]
    assert {(s.hour, s.minute) for s in local_starts} == {(9, 0)}
    assert all(c.ends_at - c.starts_at == timedelta(hours=1) for c in copies)
    assert all(c.starts_at - c.registration_closes_at == timedelta(days=1) for c in copies)
    uids = {c.calendar_uid for c in copies} | {original.calendar_uid}
    assert len(uids) == 5
    assert {c.status for c in copies} == {EventStatus.DRAFT}
    assert all(c.revision == 0 and c.title == "Virtuaalikahvit" for c in copies)
    assert [m.slug for m in copies[0].municipalities] == ["inari"]


def test_duplicate_can_publish_and_defaults_to_one_copy(app, coordinator):
    original = make_event()
    (copy,) = operations.duplicate_event(original.id, coordinator, publish=True)
    db.session.commit()
    assert copy.status is EventStatus.PUBLISHED
    assert copy.starts_at == original.starts_at
    assert copy.coordinators == [coordinator]


@pytest.mark.parametrize(("every_weeks", "times"), [(1, 0), (1, 53), (0, 2), (-1, 1)])
def test_duplicate_refuses_runs_out_of_bounds(app, coordinator, every_weeks, times):
    original = make_event()
    with pytest.raises(ValueError):
        operations.duplicate_event(original.id, coordinator, every_weeks=every_weeks, times=times)
