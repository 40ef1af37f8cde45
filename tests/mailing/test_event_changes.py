"""The back office's event operations reach participants' calendars through the outbox."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from datetime import timedelta

from hytu_events.events import operations
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind
from tests.helpers import make_event
from tests.mailing.helpers import outbox, register_person


def _calendar(message) -> str:
    parsed = email.message_from_bytes(message.mime, policy=email.policy.default)
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    return part.get_content().replace("\r\n ", "")


def _details(event, **changes) -> operations.EventDetails:
    names = [f.name for f in dataclasses.fields(operations.EventDetails)]
    values = {name: getattr(event, name) for name in names}
    values.update(changes)
    return operations.EventDetails(**values)


def test_moving_a_published_event_sends_an_update_to_the_confirmed(app):
    event = make_event(capacity=1)
    register_person(event, 1)
    register_person(event, 2)  # waiting list: no calendar entry to move
    operations.update_event(
        event.id, _details(event, starts_at=event.starts_at + timedelta(hours=1))
    )
    db.session.commit()
    updates = outbox(MessageKind.UPDATE)
    assert [m.to_address for m in updates] == ["kaisa1@example.fi"]
    assert "METHOD:REQUEST" in _calendar(updates[0])
    assert "SEQUENCE:1" in _calendar(updates[0])


def test_a_new_title_alone_sends_an_update_that_keeps_the_sequence(app):
    event = make_event()
    register_person(event, 1)
    operations.update_event(event.id, _details(event, title="Uusi nimi"))
    db.session.commit()
    [update] = outbox(MessageKind.UPDATE)
    assert "SUMMARY:Uusi nimi" in _calendar(update)
    assert "SEQUENCE:0" in _calendar(update)


def test_cancelling_sends_cancel_to_the_confirmed(app):
    event = make_event()
    register_person(event, 1)
    operations.cancel_event(event.id, "Kouluttaja sairastui.")
    db.session.commit()
    [cancel] = outbox(MessageKind.CANCELLATION)
    assert cancel.to_address == "kaisa1@example.fi"
    assert "METHOD:CANCEL" in _calendar(cancel)
    assert "SEQUENCE:1" in _calendar(cancel)
