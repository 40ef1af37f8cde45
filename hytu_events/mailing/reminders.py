"""Reminders: one per confirmed place, a configurable time before the event starts."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..registrations.models import Registration, RegistrationStatus
from ..translated import in_reader_language
from .models import MessageKind
from .notify import notify
from .outbox import already_queued


def reminder_key(registration: Registration) -> str:
    """Once per place and start time: an event moved to another day gets a fresh reminder."""
    return f"reminder:{registration.id}:{int(registration.event.starts_at.timestamp())}"


def due_for_reminder(now: datetime) -> list[Registration]:
    horizon = now + timedelta(hours=current_app.config["HYTU_REMINDER_HOURS"])
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(Event, Registration.event_id == Event.id)
            .where(
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > now,
                Event.starts_at <= horizon,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.erased_at.is_(None),
            )
            .order_by(Event.starts_at, Registration.id)
        )
    )


def enqueue_reminders(now: datetime | None = None) -> int:
    """Queue the reminders that are due and not yet queued; returns how many. Caller commits."""
    now = now or utcnow()
    queued = 0
    for registration in due_for_reminder(now):
        key = reminder_key(registration)
        if already_queued(key):
            continue
        reminder = notify(
            registration,
            MessageKind.REMINDER,
            _l("Reminder: %(title)s", title=in_reader_language(registration.event)),
            _l("Welcome! This is a reminder of the event you registered for."),
            _l("If you cannot come after all, please cancel so that someone else gets the place."),
            dedupe_key=key,
        )
        if reminder:
            queued += 1
    return queued
