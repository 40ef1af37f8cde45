"""Putting a message in the outbox, inside the caller's transaction (never committing)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..db.types import utcnow
from ..extensions import db
from .messages import Calendar, build_mime, new_message_id
from .models import MessageKind, MessageStatus, OutboxMessage


def enqueue(
    *,
    kind: MessageKind,
    to_address: str,
    to_name: str,
    subject: str,
    text: str,
    html: str,
    language: str,
    calendar: Calendar | None = None,
    registration_id: int | None = None,
    event_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Write one message; it is sent after the caller commits, or never if they roll back.

    With a `dedupe_key` the message exists at most once: enqueueing it again returns None.
    """
    if dedupe_key is not None and already_queued(dedupe_key):
        return None
    message_id = new_message_id()
    row = OutboxMessage(
        message_id=message_id,
        dedupe_key=dedupe_key,
        to_address=to_address,
        subject=subject,
        mime=build_mime(
            message_id=message_id,
            to_name=to_name,
            to_address=to_address,
            subject=subject,
            text=text,
            html=html,
            language=language,
            calendar=calendar,
        ),
        kind=kind,
        registration_id=registration_id,
        event_id=event_id,
        status=MessageStatus.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    if dedupe_key is None:
        db.session.add(row)
        db.session.flush()
        return row
    # Two reminder runs at once: the unique key lets exactly one insert win.
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


def already_queued(dedupe_key: str) -> bool:
    return (
        db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        is not None
    )


def retry(message: OutboxMessage) -> bool:
    """Put a failed message back in the queue, due now. Returns False if it was not failed."""
    if message.status is not MessageStatus.FAILED:
        return False
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()
    return True
