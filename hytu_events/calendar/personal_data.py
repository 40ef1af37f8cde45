"""Feed addresses in a person's data export, and gone when the person is erased."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..email_addresses import normalise_email
from ..extensions import db
from ..feed_tokens.models import CalendarFeedToken
from ..registrations.personal_data import Shredder, register_shredder


def _rows(email: str) -> list[CalendarFeedToken]:
    return list(
        db.session.scalars(
            sa.select(CalendarFeedToken)
            .where(CalendarFeedToken.email == normalise_email(email))
            .order_by(CalendarFeedToken.created_at)
        )
    )


def _export(email: str) -> list[dict]:
    # The secret address itself is left out: an export is a file people forward and keep.
    return [
        {
            "created_at": row.created_at.isoformat(),
            "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
            "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
        }
        for row in _rows(email)
    ]


def _erase(email: str, now: datetime) -> None:
    """The rows hold nothing but the email and times: delete them (the URLs then give 404)."""
    db.session.execute(
        sa.delete(CalendarFeedToken).where(CalendarFeedToken.email == normalise_email(email))
    )


register_shredder(Shredder("calendar_feeds", _export, _erase))
