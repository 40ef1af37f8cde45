"""Secret addresses of personal calendar feeds."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db.constraints import unique_where
from ..db.types import CreatedAt, EmailAddress, IntPK
from ..extensions import db


class CalendarFeedToken(db.Model):
    """One secret feed address, owned by a participant (email) or, later, a coordinator (user)."""

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[IntPK]
    #: sha256 of the token in the URL (hex); the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Random material the token is derived from (with SECRET_KEY), so the same address can
    #: be put in every email without storing the token; useless without the secret key.
    nonce: Mapped[str] = mapped_column(sa.String(64))
    #: A participant's feed: the events this address has active registrations for.
    email: Mapped[EmailAddress | None] = mapped_column(index=True)
    #: A coordinator's feed: the events this user runs.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[CreatedAt]
    #: Set when the owner (or a coordinator) revokes the address; the URL then gives 404.
    revoked_at: Mapped[datetime | None]
    #: Last time a calendar fetched the feed (at most once per hour, see tokens.touch).
    last_used_at: Mapped[datetime | None]

    __table_args__ = (
        sa.CheckConstraint("(email IS NULL) <> (user_id IS NULL)", name="one_owner"),
        sa.CheckConstraint("email IS NULL OR email = lower(email)", name="email_lower_case"),
        # One active address per participant, so every email carries the same one.
        unique_where(
            "uq_calendar_feed_tokens_active_email",
            "email",
            where="revoked_at IS NULL AND email IS NOT NULL",
        ),
        unique_where(
            "uq_calendar_feed_tokens_active_user",
            "user_id",
            where="revoked_at IS NULL AND user_id IS NOT NULL",
        ),
    )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<CalendarFeedToken {self.id} {'active' if self.is_active else 'revoked'}>"
