"""The audit log: entries saved with the change, JSON-safe snapshots, the event page's list."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import render_template_string
from flask_babel import force_locale
from flask_login import login_user

from hytu_events import audit
from hytu_events.extensions import db
from hytu_events.models import AuditEntry, EventStatus, Role
from tests.accounts.helpers import make_user
from tests.helpers import make_event, municipality, page_text
from tests.registrations.people import register_person

EVENT_FIELDS = ("title", "starts_at", "status", "capacity", "municipalities")


def _registration(event):
    return register_person(event, "Kaisa Keskitalo", "kaisa@example.fi")


def test_snapshot_is_json_safe(app):
    start = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
    event = make_event(starts_at=start, capacity=12)
    assert audit.snapshot(event, EVENT_FIELDS) == {
        "title": "HYTU-klinikka: Inari",
        "starts_at": "2026-03-02T07:30:00+00:00",
        "status": "published",
        "capacity": 12,
        "municipalities": [municipality("inari").id],
    }


def test_record_names_the_logged_in_user_and_the_event(app):
    coordinator = make_user(Role.COORDINATOR)
    event = make_event()
    registration = _registration(event)
    with app.test_request_context():
        login_user(coordinator)
        before = audit.snapshot(event, ["status", "cancellation_reason"])
        event.status, event.cancellation_reason = EventStatus.CANCELLED, "Myrsky"
        audit.record(
            "event.cancelled",
            event,
            before=before,
            after=audit.snapshot(event, ["status", "cancellation_reason"]),
        )
        audit.record("registration.cancelled", registration)
        db.session.commit()
    entries = audit.entries_for_event(event.id)
    assert [e.action for e in entries] == ["registration.cancelled", "event.cancelled"]
    assert {e.user_id for e in entries} == {coordinator.id}
    cancelled = entries[1]
    assert (cancelled.target_type, cancelled.target_id) == ("event", event.id)
    assert cancelled.changes() == [
        ("status", "published", "cancelled"),
        ("cancellation_reason", None, "Myrsky"),
    ]
    assert entries[0].target_type == "registration" and entries[0].event_id == event.id


def test_an_entry_is_rolled_back_with_its_change(app):
    event = make_event()
    event.title = "Muutettu"
    audit.record("event.updated", event, before={"title": "x"}, after={"title": "Muutettu"})
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_entries_for_event_lists_only_that_event(app):
    first, second = make_event(), make_event(title="Toinen")
    audit.record("event.updated", first)
    audit.record("event.updated", second)
    db.session.commit()
    assert [e.event_id for e in audit.entries_for_event(first.id)] == [first.id]


def test_macro_shows_who_when_in_local_time_and_what_changed(app):
    coordinator = make_user(Role.COORDINATOR, name="Kaija Koordinaattori")
    event = make_event()
    db.session.add(
        AuditEntry(
            at=datetime(2026, 1, 15, 10, 0, tzinfo=UTC),  # 12.00 in Helsinki
            user_id=coordinator.id,
            action="event.updated",
            target_type="event",
            target_id=event.id,
            event_id=event.id,
            before={"capacity": 20, "venue": "Sali"},
            after={"capacity": 30, "venue": "Sali"},
        )
    )
    db.session.commit()
    with app.test_request_context("/?lang=en"):
        html = render_template_string(
            '{% from "admin/_audit.html" import audit_log %}{{ audit_log(entries) }}',
            entries=audit.entries_for_event(event.id),
        )
    text = page_text(html)
    assert "Event changed" in text and "Kaija Koordinaattori" in text
    assert "Thu, Jan 15, 2026 12:00" in text
    assert "Number of places 20 → changed to 30" in text
    assert "Place" not in text  # unchanged fields are not listed


def test_macro_says_when_nothing_is_recorded(app):
    with app.test_request_context("/?lang=en"):
        html = render_template_string(
            '{% from "admin/_audit.html" import audit_log %}{{ audit_log([]) }}'
        )
    assert "No changes recorded yet." in page_text(html)


def test_logged_enum_values_show_as_labels_in_the_readers_language(app):
    """The log keeps `published`; a Swedish reader sees Publicerad, an English one Published."""
    from hytu_events.events import operations

    event = make_event(status=EventStatus.DRAFT)
    operations.publish_event(event.id)
    db.session.commit()
    rendered = {}
    for language in ("en", "sv"):
        with app.test_request_context(f"/?lang={language}"), force_locale(language):
            rendered[language] = page_text(
                render_template_string(
                    '{% from "admin/_audit.html" import audit_log %}{{ audit_log(entries) }}',
                    entries=audit.entries_for_event(event.id),
                )
            )
    assert "Status Draft → changed to Published" in rendered["en"]
    assert "draft" not in rendered["en"] and "to published" not in rendered["en"]
    assert "Utkast → ändrat till Publicerad" in rendered["sv"]
