"""Event operations called directly: the revision rule, state changes, repeated duplicates."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from hytu_events import audit
from hytu_events.events import operations
from hytu_events.events.models import Event, EventKind, EventStatus
from hytu_events.extensions import db
from hytu_events.models import AuditEntry, Registration, RegistrationStatus
from tests.helpers import make_event, organisation
from tests.mailing.helpers import register_person

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


def test_a_copy_keeps_everything_the_coordinator_set(app, coordinator):
    start = datetime(2030, 5, 6, 9, 0, tzinfo=HELSINKI).astimezone(UTC)
    original = make_event(
        starts_at=start,
        description="Työpaja kunnan HYTU-suunnitelmasta.",
        venue="Sodankylän kunnantalo",
        online_url="https://teams.example/meet/2",
        online_url_public=True,
        capacity=7,
        registration_opens_at=start - timedelta(days=30),
        registration_closes_at=start - timedelta(days=2),
        auto_promote=False,
        asks_for_needs=True,
        organisations=[organisation("spek")],
    )
    (copy,) = operations.duplicate_event(original.id, coordinator, every_weeks=1, times=1)
    db.session.commit()
    assert (copy.description, copy.venue, copy.online_url) == (
        "Työpaja kunnan HYTU-suunnitelmasta.",
        "Sodankylän kunnantalo",
        "https://teams.example/meet/2",
    )
    assert (copy.online_url_public, copy.capacity, copy.auto_promote, copy.asks_for_needs) == (
        True,
        7,
        False,
        True,
    )
    assert copy.starts_at == start + timedelta(weeks=1)
    assert copy.starts_at.tzinfo is not None and copy.starts_at.utcoffset() == timedelta(0)
    assert copy.registration_opens_at == start + timedelta(weeks=1) - timedelta(days=30)
    assert [o.slug for o in copy.organisations] == ["spek"]
    assert copy.coordinators == [coordinator]


def test_a_year_of_weekly_copies_is_allowed(app, coordinator):
    original = make_event(starts_at=datetime(2030, 1, 7, 8, tzinfo=UTC))
    copies = operations.duplicate_event(original.id, coordinator, every_weeks=1, times=52)
    assert len(copies) == operations.MAX_REPEAT == 52


def test_duplicating_a_missing_event_is_a_lookup_error(app, coordinator):
    with pytest.raises(LookupError):
        operations.duplicate_event(987654, coordinator)


def _history(event_id: int) -> list[tuple[str, list]]:
    """The event's history as its back-office page lists it, oldest first."""
    return [(e.action, e.changes()) for e in reversed(audit.entries_for_event(event_id))]


def test_the_history_tells_creation_publication_and_copies(app, coordinator):
    start = datetime(2030, 2, 1, 8, tzinfo=UTC)
    details = operations.EventDetails(
        kind=EventKind.VIRTUAL_COFFEE,
        title="Virtuaalikahvit",
        description="",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        venue=None,
        online_url="https://teams.example/meet/3",
        online_url_public=False,
        capacity=None,
        registration_opens_at=None,
        registration_closes_at=None,
        asks_for_needs=False,
    )
    event = operations.create_event(details, coordinator)
    db.session.commit()
    assert event.status is EventStatus.DRAFT
    assert event.coordinators == [coordinator]
    operations.publish_event(event.id)
    db.session.commit()
    (copy,) = operations.duplicate_event(event.id, coordinator)
    db.session.commit()

    [(created, created_changes), (published, published_changes)] = _history(event.id)
    assert (created, published) == ("event.created", "event.published")
    assert ("title", None, "Virtuaalikahvit") in created_changes
    assert ("status", None, "draft") in created_changes
    assert published_changes == [("status", "draft", "published")]
    [(duplicated, duplicated_changes)] = _history(copy.id)
    assert duplicated == "event.duplicated"
    assert ("copied_from", event.id, None) in duplicated_changes
    assert ("title", None, "Virtuaalikahvit") in duplicated_changes


def test_deleting_a_draft_leaves_an_entry_with_what_it_was(app):
    draft = make_event(status=EventStatus.DRAFT, title="Luonnos")
    assert operations.delete_draft(draft.id) == draft.id
    db.session.commit()
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "event.deleted")
    ).one()
    assert entry.event_id is None
    assert entry.before["title"] == "Luonnos"
    assert entry.before["status"] == "draft"


def _details_of(event, **changes) -> operations.EventDetails:
    names = [f.name for f in dataclasses.fields(operations.EventDetails)]
    return operations.EventDetails(**{**{n: getattr(event, n) for n in names}, **changes})


def test_the_form_cannot_drop_places_below_the_confirmed_but_can_remove_the_limit(app):
    event = make_event(capacity=2)
    for n in range(4):
        register_person(event, n)
    with pytest.raises(operations.CapacityBelowConfirmed) as refused:
        operations.update_event(event.id, _details_of(event, capacity=1))
    db.session.rollback()
    assert refused.value.confirmed == 2  # the form names this number
    operations.update_event(event.id, _details_of(event, capacity=None))
    db.session.commit()
    statuses = db.session.scalars(
        sa.select(Registration.status).where(Registration.event_id == event.id)
    ).all()
    assert statuses == [RegistrationStatus.CONFIRMED] * 4


def test_create_app_alone_connects_the_capacity_rule_and_the_seat_counter():
    """In a fresh process, as a `flask` command starts, nothing but create_app has run: it must
    connect what events hands over to registrations (an unconnected rule would overbook)."""
    code = "\n".join(
        [
            "from hytu_events import create_app",
            "from hytu_events.events import occupancy, signals",
            "assert not signals.capacity_submitted.receivers",
            "config = {'TESTING': True, 'SECRET_KEY': 'k' * 40}",
            "create_app({**config, 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})",
            "assert signals.capacity_submitted.receivers",
            "assert occupancy.seat_counts([]) == {}",
        ]
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_updating_a_missing_event_is_a_lookup_error(app):
    event = make_event()
    with pytest.raises(LookupError):
        operations.update_event(987654, _details_of(event))
