"""The outbox holds names and addresses: exported, erased and purged like the rest."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, MessageStatus, OutboxMessage
from hytu_events.mailing.privacy import purge
from hytu_events.mailing.sender import deliver_due
from hytu_events.registrations.personal_data import erase_personal_data, export_personal_data
from tests.helpers import make_event

from .helpers import calendar_bytes, outbox, register_person, vevent_of


def _mentions(email: str) -> int:
    rows = db.session.scalars(sa.select(OutboxMessage.mime)).all()
    return sum(email.encode() in bytes(mime) for mime in rows)


def test_export_lists_the_messages_sent_to_the_person(app, mailbox):
    event = make_event(title="Virtuaalikahvit")
    register_person(event, 1)
    deliver_due()
    data = export_personal_data("kaisa1@example.fi")
    [message] = data["mail_outbox"]
    assert message["kind"] == "confirmation" and message["status"] == "sent"
    assert "Virtuaalikahvit" in message["subject"]


def test_erasure_removes_the_messages_after_the_last_cancel_went_out(app, mailbox):
    event = make_event()
    register_person(event, 1)
    register_person(event, 2)
    deliver_due()
    mailbox.clear()

    erase_personal_data("kaisa1@example.fi")
    db.session.commit()
    # What remains is the CANCEL that takes the event out of their calendar ...
    [last] = [row for row in outbox() if row.to_address == "kaisa1@example.fi"]
    assert last.kind is MessageKind.PARTICIPANT_CANCELLED
    deliver_due()
    [received] = mailbox.messages()
    raw, _, method = calendar_bytes(received)
    assert method == "CANCEL" and str(vevent_of(raw)[1]["UID"]) == event.calendar_uid

    # ... and once sent, it goes too; the other participant's mail stays.
    assert purge() == 1
    db.session.commit()
    assert _mentions("kaisa1@example.fi") == 0
    assert _mentions("kaisa2@example.fi") == 1


def test_old_sent_and_failed_messages_are_purged_queued_ones_never(app):
    event = make_event()
    for n in range(3):
        register_person(event, n)
    sent, failed, queued = outbox()
    sent.status, sent.sent_at = MessageStatus.SENT, utcnow()
    failed.status = MessageStatus.FAILED
    db.session.commit()
    assert purge() == 0  # young ones stay
    later = utcnow() + timedelta(days=app.config["HYTU_MAIL_RETENTION_DAYS"] + 1)
    assert purge(now=later) == 2
    db.session.commit()
    assert [row.id for row in outbox()] == [queued.id]
