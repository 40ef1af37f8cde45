"""Planned retention: a registration is anonymised HYTU_REGISTRATION_RETENTION_MONTHS after its
event ends, as the privacy notice promises. The counts (organisation, municipality, status,
attendance) stay for the network's statistics.

`flask privacy expire` runs it, and the mail worker does once an hour.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..events.models import Event
from ..extensions import db
from .models import Registration
from .personal_data import anonymise, erase_traces

Progress = Callable[[list[Registration]], Iterable[Registration]]


def retention_cutoff(now: datetime) -> datetime:
    """Registrations of events that ended before this are past their retention."""
    months = current_app.config["HYTU_REGISTRATION_RETENTION_MONTHS"]
    return now - timedelta(days=round(months * 365 / 12))


def _expired(now: datetime) -> sa.Select:
    return (
        sa.select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Event.ends_at < retention_cutoff(now), Registration.erased_at.is_(None))
        .order_by(Registration.id)
    )


def expired_count(now: datetime) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(_expired(now).subquery()))


def expire(now: datetime, progress: Progress = lambda rows: rows) -> int:
    """Anonymise every registration past its retention; returns how many (the caller commits).

    When a person's last registration goes, so do their feed address and any mail still
    kept for them: nothing is left that names them.
    """
    registrations = list(db.session.scalars(_expired(now)))
    emails = {registration.email for registration in registrations}
    for registration in progress(registrations):
        anonymise(registration, now)
    db.session.flush()
    still_held = set(
        db.session.scalars(
            sa.select(Registration.email).where(
                Registration.email.in_(emails), Registration.erased_at.is_(None)
            )
        )
    )
    for email in sorted(emails - still_held):
        erase_traces(email, now)
    db.session.flush()
    return len(registrations)
