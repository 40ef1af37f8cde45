"""Sending a person their self-service links again.

The public form at /r/ only notes the request (`note_link_request`): one row, whether or not
the address has registrations. Looking the address up while the visitor waits would answer a
known address measurably later than an unknown one, since a message is built and written only
for the first, and so tell anyone who registered. The mail worker answers the notes before
each delivery round (`answer_link_requests`): the links go out in the round that would have
sent them anyway, and an address without places gets nothing.

A coordinator, who may know who registered, sends the same message at once (`send_links`).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..email_addresses import normalise_email
from ..extensions import db
from .models import LinkRequest, Registration, RegistrationStatus
from .personal_data import Shredder, register_shredder
from .signals import links_requested


def note_link_request(email: str) -> None:
    """The same single INSERT for every address (the caller commits)."""
    db.session.add(LinkRequest(email=normalise_email(email)))


def active_registrations(email: str) -> list[Registration]:
    """The places a link can still be sent for: not cancelled, not erased."""
    return list(
        db.session.scalars(
            sa.select(Registration).where(
                Registration.email == normalise_email(email),
                Registration.status != RegistrationStatus.CANCELLED,
                Registration.erased_at.is_(None),
            )
        )
    )


def send_links(email: str) -> None:
    """Queue one message listing every active place of `email` (nothing if there is none);
    mail listens to `links_requested`. The caller commits."""
    links_requested.send(normalise_email(email), registrations=active_registrations(email))


def answer_link_requests(limit: int = 100) -> int:
    """Answer up to `limit` noted requests, once per address; returns how many addresses.

    The notes are deleted in the same statement that reads them, so two workers never answer
    the same one; the messages commit with the deletion (the caller commits).
    """
    oldest = sa.select(LinkRequest.id).order_by(LinkRequest.id).limit(limit)
    taken = db.session.scalars(
        sa.delete(LinkRequest)
        .where(LinkRequest.id.in_(oldest.scalar_subquery()))
        .returning(LinkRequest.email)
        .execution_options(synchronize_session=False)
    )
    emails = list(dict.fromkeys(taken))
    for email in emails:
        send_links(email)
    return len(emails)


def _export(email: str) -> list[dict]:
    rows = db.session.scalars(
        sa.select(LinkRequest)
        .where(LinkRequest.email == normalise_email(email))
        .order_by(LinkRequest.id)
    )
    return [{"requested_at": row.requested_at.isoformat()} for row in rows]


def _erase(email: str, now: datetime) -> None:
    db.session.execute(
        sa.delete(LinkRequest)
        .where(LinkRequest.email == normalise_email(email))
        .execution_options(synchronize_session=False)
    )


register_shredder(Shredder("link_requests", _export, _erase))
