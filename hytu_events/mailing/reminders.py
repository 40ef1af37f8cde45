"""Reminders: one per confirmed place, a configurable time before the event starts."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..registrations.models import Registration, RegistrationStatus
from .models import MessageKind
from .notify import enqueue_for, registration_content
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
        with force_locale(registration.language.value):
            event = registration.event
            content = registration_content(
                registration,
                _("Reminder: %(title)s", title=event.title),
                _("Welcome! This is a reminder of the event you registered for."),
                _(
                    "If you cannot come after all, please cancel so that someone else "
                    "gets the place."
                ),
            )
            if enqueue_for(registration, MessageKind.REMINDER, content, dedupe_key=key):
                queued += 1
    return queued
