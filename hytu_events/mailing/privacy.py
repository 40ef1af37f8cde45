"""Personal data in the outbox: exported and erased with the rest, and not kept for ever.

Each message holds the recipient's name and address in its bytes, so rows go entirely.
Erasing a person cancels their places, which queues a last CANCEL so their calendar drops
the event; that message goes out and is then removed by `purge` at once (its registration
is erased), not after the retention period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..db.types import utcnow
from ..extensions import db
from ..registrations.models import Registration
from ..registrations.personal_data import Shredder, register_shredder
from .models import MessageStatus, OutboxMessage

DONE = (MessageStatus.SENT, MessageStatus.FAILED)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_messages(email: str) -> list[dict]:
    rows = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.to_address == email)
        .order_by(OutboxMessage.created_at)
    )
    return [
        {
            "kind": row.kind.value,
            "subject": row.subject,
            "status": row.status.value,
            "created_at": _iso(row.created_at),
            "sent_at": _iso(row.sent_at),
        }
        for row in rows
    ]


def erase_messages(email: str, now: datetime) -> None:
    db.session.execute(
        sa.delete(OutboxMessage)
        .where(OutboxMessage.to_address == email)
        .execution_options(synchronize_session=False)
    )


def purge(now: datetime | None = None) -> int:
    """Delete sent and failed messages past HYTU_MAIL_RETENTION_DAYS, and at once those of
    erased registrations. Returns how many. The caller commits."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["HYTU_MAIL_RETENTION_DAYS"])
    erased = sa.select(Registration.id).where(Registration.erased_at.is_not(None))
    result = db.session.execute(
        sa.delete(OutboxMessage)
        .where(
            OutboxMessage.status.in_(DONE),
            sa.or_(OutboxMessage.created_at < cutoff, OutboxMessage.registration_id.in_(erased)),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def register() -> None:
    register_shredder(Shredder("mail_outbox", export_messages, erase_messages))
