"""Personal feed tokens: long, unguessable, compared in constant time, revocable.

The token in the URL is an HMAC of a random per-row nonce under SECRET_KEY (256 bits,
base64url). The database keeps only its sha256 (for lookup) and the nonce, so a copy of the
database alone opens no feed, yet the same address can be rebuilt for every email and the
self-service page. Revoking sets revoked_at; the next request for that person makes a new one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..db.types import utcnow
from ..email_addresses import normalise_email
from ..extensions import db
from .models import CalendarFeedToken

#: 32 bytes of HMAC in unpadded base64url.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
#: Writing last_used_at on every poll would turn each feed fetch into a database write.
_TOUCH_INTERVAL = timedelta(hours=1)


def _token(row: CalendarFeedToken) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"calendar-feed:{row.nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_row(**owner) -> CalendarFeedToken:
    row = CalendarFeedToken(nonce=secrets.token_urlsafe(32), **owner)
    row.token_hash = _hash(_token(row))
    return row


def active_participant_token(email: str) -> CalendarFeedToken | None:
    return db.session.scalar(
        sa.select(CalendarFeedToken).where(
            CalendarFeedToken.email == normalise_email(email),
            CalendarFeedToken.revoked_at.is_(None),
        )
    )


def participant_feed_token(email: str, *, commit: bool = True) -> str:
    """The participant's feed token, made on first use.

    Making one commits the session, unless `commit=False`: then the row joins the caller's
    transaction (the mail outbox builds emails inside a registration and must not commit
    half of it). A savepoint absorbs the race of two transactions making one at once.
    """
    email = normalise_email(email)
    if (row := active_participant_token(email)) is None:
        row = _new_row(email=email)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except sa.exc.IntegrityError:
            # Another transaction made one at the same time: use the one that won.
            row = active_participant_token(email)
            if row is None:
                raise
        if commit:
            db.session.commit()
    return _token(row)


def participant_feed_url(email: str, *, commit: bool = True) -> str:
    """The secret https address of a participant's feed, for emails and the self-service page."""
    base = current_app.config["BASE_URL"]
    return f"{base}/calendar/personal/{participant_feed_token(email, commit=commit)}.ics"


def existing_participant_feed_url(email: str) -> str | None:
    """The feed address if the person already has one; never makes one (for messages sent
    while their data is being erased)."""
    row = active_participant_token(email)
    if row is None:
        return None
    return f"{current_app.config['BASE_URL']}/calendar/personal/{_token(row)}.ics"


def find_active(token: str) -> CalendarFeedToken | None:
    """The active token row for a URL token, or None: malformed, unknown and revoked tokens
    are indistinguishable to the caller."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    row = db.session.scalar(
        sa.select(CalendarFeedToken).where(CalendarFeedToken.token_hash == _hash(token))
    )
    if row is None or row.revoked_at is not None:
        return None
    # The lookup matched a hash; this checks the token against the secret in constant time,
    # so a database row forged without SECRET_KEY opens nothing either.
    if not hmac.compare_digest(_token(row), token):
        return None
    return row


def revoke(token_row: CalendarFeedToken) -> None:
    """Stop a feed address working. Commits."""
    if token_row.revoked_at is None:
        token_row.revoked_at = utcnow()
        db.session.commit()


def revoke_participant_feeds(email: str) -> int:
    """Revoke every active feed address of a participant (e.g. on erasure). Commits."""
    result = db.session.execute(
        sa.update(CalendarFeedToken)
        .where(
            CalendarFeedToken.email == normalise_email(email),
            CalendarFeedToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def touch(token_row: CalendarFeedToken) -> None:
    """Note that the feed is in use (helps coordinators see dead addresses). Commits."""
    now = utcnow()
    if token_row.last_used_at is None or now - token_row.last_used_at > _TOUCH_INTERVAL:
        token_row.last_used_at = now
        db.session.commit()


def _active_coordinator_token(user_id: int) -> CalendarFeedToken | None:
    return db.session.scalar(
        sa.select(CalendarFeedToken).where(
            CalendarFeedToken.user_id == user_id, CalendarFeedToken.revoked_at.is_(None)
        )
    )


def coordinator_feed_url(user_id: int) -> str:
    """The secret address of the feed of events a coordinator runs, made on first use.
    Commits when it makes one."""
    row = _active_coordinator_token(user_id)
    if row is None:
        row = _new_row(user_id=user_id)
        db.session.add(row)
        db.session.commit()
    return f"{current_app.config['BASE_URL']}/calendar/personal/{_token(row)}.ics"


def revoke_coordinator_feeds(user_id: int) -> None:
    """The old address stops working; the next request makes a new one. Commits."""
    db.session.execute(
        sa.update(CalendarFeedToken)
        .where(CalendarFeedToken.user_id == user_id, CalendarFeedToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()
