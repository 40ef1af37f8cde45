"""Which registrations an export holds, and the columns it has (headers in the reader's
language, times on the network's wall clock without zone: spreadsheets know no zones)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy.orm import joinedload

from ..events.models import Event
from ..extensions import db
from ..local_time import local_to_utc, utc_to_local
from .models import Registration


def header(with_event: bool) -> list[str]:
    event_columns = [_("Event"), _("Event starts")] if with_event else []
    return [
        *event_columns,
        _("Name"),
        _("Email"),
        _("Status"),
        _("Organisation"),
        _("Organisation category"),
        _("Municipality"),
        _("Job title"),
        _("Needs"),
        _("Language"),
        _("Registered"),
        pgettext("registration", "Cancelled"),
        _("Attended"),
    ]


def _attended(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def row(registration: Registration, with_event: bool) -> list:
    event_columns = (
        [registration.event.title, utc_to_local(registration.event.starts_at)] if with_event else []
    )
    return [
        *event_columns,
        registration.name,
        registration.email,
        registration.status.label,
        registration.organisation_name,
        registration.organisation_category.label,
        registration.municipality.name_fi if registration.municipality else "",
        registration.job_title or "",
        registration.needs or "",
        registration.language.label,
        utc_to_local(registration.created_at),
        utc_to_local(registration.cancelled_at),
        _attended(registration.attended),
    ]


def event_rows(event_id: int) -> Iterator[list]:
    query = (
        sa.select(Registration)
        .where(Registration.event_id == event_id)
        .order_by(Registration.created_at, Registration.id)
    )
    for registration in db.session.scalars(query):
        yield row(registration, with_event=False)


def range_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Local days `first`..`last` inclusive, as a UTC half-open interval."""
    return (
        local_to_utc(datetime.combine(first, time.min)),
        local_to_utc(datetime.combine(last + timedelta(days=1), time.min)),
    )


def range_rows(first: date, last: date) -> Iterator[list]:
    """Registrations of every event that starts on the days `first`..`last`."""
    start, end = range_bounds(first, last)
    query = (
        sa.select(Registration)
        .join(Event, Registration.event_id == Event.id)
        .where(Event.starts_at >= start, Event.starts_at < end)
        .options(joinedload(Registration.event))
        .order_by(Event.starts_at, Event.id, Registration.created_at, Registration.id)
    )
    for registration in db.session.scalars(query):
        yield row(registration, with_event=True)
