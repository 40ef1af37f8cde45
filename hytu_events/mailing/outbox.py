"""Putting a message in the outbox, inside the caller's transaction (never committing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..db.types import utcnow
from ..extensions import db
from .content import MailContent
from .messages import Calendar, build_mime, new_message_id
from .models import MessageKind, MessageStatus, OutboxMessage


def enqueue(
    *,
    kind: MessageKind,
    to_address: str,
    to_name: str,
    content: MailContent,
    calendar: Callable[[], Calendar] | None = None,
    registration_id: int | None = None,
    event_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Write one message; it is sent after the caller commits, or never if they roll back.

    The message is rendered and built here, and whatever goes wrong doing that for this one
    recipient is recorded on its row (status failed, the reason in last_error) instead of
    raised: registering, cancelling or writing to forty people must never fail because one
    message cannot be built. With a `dedupe_key` the message exists at most once:
    enqueueing it again returns None.
    """
    if dedupe_key is not None and already_queued(dedupe_key):
        return None
    message_id = new_message_id()
    row = OutboxMessage(
        message_id=message_id,
        dedupe_key=dedupe_key,
        to_address=to_address,
        subject=content.subject,
        kind=kind,
        registration_id=registration_id,
        event_id=event_id,
        status=MessageStatus.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    try:
        built = calendar() if calendar is not None else None
        row.mime = _build(message_id, to_name, to_address, content, built)
        row.calendar_stamp = built.stamp if built is not None else None
    except SQLAlchemyError:
        raise  # the database is in trouble, not this message: the caller must know
    except Exception as error:
        row.mime = b""
        row.status = MessageStatus.FAILED
        row.last_error = f"The message could not be built: {type(error).__name__}: {error}"[:2000]
        build_error = error
    else:
        build_error = None
    if not _insert(row, dedupe_key):
        return None
    if build_error is not None:
        current_app.logger.error(
            "Outbox message %s (%s, registration %s) could not be built; recorded as failed",
            row.id,
            kind.value,
            registration_id,
            exc_info=build_error,
        )
    return row


def _build(
    message_id: str,
    to_name: str,
    to_address: str,
    content: MailContent,
    calendar: Calendar | None,
) -> bytes:
    text, html = content.render()
    return build_mime(
        message_id=message_id,
        to_name=to_name,
        to_address=to_address,
        subject=content.subject,
        text=text,
        html=html,
        language=content.language,
        calendar=calendar,
    )


def _insert(row: OutboxMessage, dedupe_key: str | None) -> bool:
    if dedupe_key is None:
        db.session.add(row)
        db.session.flush()
        return True
    # Two reminder runs at once: the unique key lets exactly one insert win.
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True


def next_calendar_stamp(to_address: str) -> datetime:
    """The DTSTAMP of the next iTIP message to `to_address`: now, and always at least a second
    after the last one it was sent. With an equal SEQUENCE the later DTSTAMP is the newer
    message (RFC 5546 2.1.5), and DTSTAMP counts whole seconds: two changes within one second
    (a registration and a rename) would otherwise be two messages no client can order."""
    now = utcnow().replace(microsecond=0)
    last = db.session.scalar(
        sa.select(sa.func.max(OutboxMessage.calendar_stamp)).where(
            OutboxMessage.to_address == to_address
        )
    )
    return now if last is None or last < now else last + timedelta(seconds=1)


def already_queued(dedupe_key: str) -> bool:
    return (
        db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        is not None
    )


def retry(message: OutboxMessage) -> bool:
    """Put a failed message back in the queue, due now. Returns False if it was not failed,
    or was never built (there are no bytes to send)."""
    if message.status is not MessageStatus.FAILED or not message.built:
        return False
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()
    return True
