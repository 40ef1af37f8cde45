"""What people with places at a series' dates were sent, and what their calendars then show,
for the tests of a split and of dates removed from the end (test_calendar_after_*.py)."""

from __future__ import annotations

from datetime import date

import icalendar
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageStatus, OutboxMessage
from hytu_events.models import Event, EventStatus, Registration, RegistrationStatus
from hytu_events.series.registration import register_for_series
from tests.calendar.itip import MailedCalendar
from tests.calendar.parsers import expand_everywhere
from tests.calendar.series_factories import BEFORE_SERIES, person, wall
from tests.mailing.helpers import calendar_of, outbox

YEAR = (date(2027, 1, 1), date(2027, 12, 31))


def email(n: int) -> str:
    return f"saara{n}@example.fi"


def take_whole_series(series, n: int) -> list[Registration]:
    """Person `n` registers once for every date: one confirmation, the series' master."""
    outcome = register_for_series(series.id, person(n), None, now=BEFORE_SERIES)
    db.session.commit()
    return outcome.created


def mark() -> int:
    rows = outbox()
    return rows[-1].id if rows else 0


def sent_to(n: int, since: int = 0) -> list[OutboxMessage]:
    rows = [row for row in outbox() if row.to_address == email(n) and row.id > since]
    assert all(row.status is not MessageStatus.FAILED for row in rows), [
        row.last_error for row in rows
    ]
    return rows


def itip(row: OutboxMessage) -> tuple[str, str, list[icalendar.Event]] | None:
    """(METHOD, UID, VEVENTs) of a message's calendar, or None without one."""
    raw = calendar_of(row)
    if raw is None:
        return None
    calendar = icalendar.Calendar.from_ical(raw)
    vevents = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), str(vevents[0]["UID"]), vevents


def calendar_of_person(n: int) -> MailedCalendar:
    """Person `n`'s calendar after every message they were sent, in order."""
    calendar = MailedCalendar()
    for row in sent_to(n):
        if (raw := calendar_of(row)) is not None:
            calendar.apply(raw)
    return calendar


def shown(n: int) -> list[tuple[str, str, str]]:
    """What person `n`'s calendar shows, occurrence by occurrence: (UID, local start, end in
    UTC), as both engines expand it."""
    occurrences = expand_everywhere(calendar_of_person(n).to_ical(), *YEAR)
    assert {o["status"] for o in occurrences} <= {"CONFIRMED"}
    return [(o["uid"], o["start_local"], o["end_utc"]) for o in occurrences]


def held(n: int) -> list[tuple[str, str, str]]:
    """What it should show: each published date where person `n` has a confirmed place, once,
    under its series' UID, at its time now."""
    db.session.expire_all()
    dates = db.session.scalars(
        sa.select(Event)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.email == email(n),
            Registration.status == RegistrationStatus.CONFIRMED,
            Event.status == EventStatus.PUBLISHED,
        )
        .order_by(Event.starts_at)
    )
    return [
        (
            date.series.calendar_uid,
            wall(date.starts_at),
            date.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        for date in dates
    ]


def rid_local(vevent) -> str:
    return vevent["RECURRENCE-ID"].dt.strftime("%Y-%m-%dT%H:%M")
