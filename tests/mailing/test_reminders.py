"""Reminders: once per confirmed place, only for events still on."""

from __future__ import annotations

from datetime import timedelta

from hytu_events.db.types import utcnow
from hytu_events.events.models import EventStatus
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind
from hytu_events.mailing.reminders import enqueue_reminders
from hytu_events.mailing.sender import deliver_due
from hytu_events.registrations.cancellation import cancel_registration
from tests.helpers import make_event

from .helpers import outbox, register_person, to_address, tree


def _remind() -> int:
    queued = enqueue_reminders()
    db.session.commit()
    return queued


def test_one_reminder_per_confirmed_place_received_over_smtp(app, mailbox):
    soon = utcnow().replace(microsecond=0) + timedelta(hours=20)
    event = make_event(starts_at=soon, capacity=2)
    register_person(event, 1)
    leaving = register_person(event, 2)
    register_person(event, 3)  # waiting: no promotion this close to the start
    cancel_registration(leaving.id)
    db.session.commit()
    later = make_event(title="Myöhemmin", starts_at=soon + timedelta(days=3))
    register_person(later, 4)

    assert _remind() == 1
    assert _remind() == 0  # running again (the worker does, every round) adds nothing
    [reminder] = outbox(MessageKind.REMINDER)
    assert reminder.to_address == "kaisa1@example.fi"

    deliver_due()
    [received] = [m for m in mailbox.messages() if m["Message-ID"] == reminder.message_id]
    assert to_address(received) == "kaisa1@example.fi"
    assert tree(received) == ["multipart/alternative", "text/plain", "text/html"]


def test_no_reminders_for_cancelled_events(app, mailbox):
    event = make_event(starts_at=utcnow() + timedelta(hours=5))
    register_person(event, 1)
    event.status = EventStatus.CANCELLED
    event.cancellation_reason = "Peruttu."
    db.session.commit()
    assert _remind() == 0


def test_a_moved_event_reminds_again_for_its_new_time(app, mailbox):
    start = utcnow().replace(microsecond=0) + timedelta(hours=10)
    event = make_event(starts_at=start)
    register_person(event, 1)
    assert _remind() == 1
    event.starts_at += timedelta(hours=2)
    event.ends_at += timedelta(hours=2)
    db.session.commit()
    assert _remind() == 1
    assert _remind() == 0


def test_reminder_hours_are_configurable(app, mailbox):
    event = make_event(starts_at=utcnow() + timedelta(hours=30))
    register_person(event, 1)
    assert _remind() == 0
    app.config["HYTU_REMINDER_HOURS"] = 48
    assert _remind() == 1
