"""Dates of a series changed as the back office changes them, and people with places at some
of them, for the tests of series in calendars and mail (tests/series/test_calendar_*.py,
test_mail_*.py)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from hytu_events.events import operations
from hytu_events.extensions import db
from hytu_events.local_time import utc_to_local
from hytu_events.models import Event, Language, Registration
from hytu_events.registrations.calendar_copy import offset_after_giving_up
from hytu_events.registrations.cancellation import give_up_place
from hytu_events.registrations.operations import ParticipantDetails, register
from tests.calendar.clock import Clock
from tests.helpers import organisation

#: Before the demo series' first date (11 March 2027): every date is upcoming.
BEFORE_SERIES = datetime(2027, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def series_clock(monkeypatch) -> Clock:
    """Calendar views see BEFORE_SERIES as now (until the test moves the clock), so the
    dates of 2027 stay in the feeds' window whatever year the tests run in."""
    clock = Clock(BEFORE_SERIES)
    monkeypatch.setattr("hytu_events.calendar.views.utcnow", clock)
    monkeypatch.setattr("hytu_events.calendar.http.utcnow", clock)
    return clock


def details_of(event: Event, **changes) -> operations.EventDetails:
    names = [field.name for field in dataclasses.fields(operations.EventDetails)]
    values = {name: getattr(event, name) for name in names}
    values.update(changes)
    return operations.EventDetails(**values)


def move(date: Event, hours: int) -> Event:
    """Move one date by `hours` as the back office does (its revision rises)."""
    operations.update_event(
        date.id,
        details_of(
            date,
            starts_at=date.starts_at + timedelta(hours=hours),
            ends_at=date.ends_at + timedelta(hours=hours),
        ),
    )
    db.session.commit()
    return date


def cancel(date: Event, reason: str = "Vetäjä on estynyt.") -> Event:
    operations.cancel_event(date.id, reason)
    db.session.commit()
    return date


def person(n: int, language: str = "fi") -> ParticipantDetails:
    return ParticipantDetails(
        name=f"Saara Sarjalainen {n}",
        email=f"saara{n}@example.fi",
        organisation_id=organisation("lapin-liitto").id,
        organisation_other=None,
        municipality_id=None,
        job_title=None,
        needs=None,
        language=Language(language),
    )


def take_places(dates: list[Event], n: int, language: str = "fi") -> list[Registration]:
    """Person `n` registers for each of `dates`, one date at a time (each a place of its own,
    confirmed or waitlisted by that date's seats)."""
    places = [register(date.id, person(n, language)).registration for date in dates]
    db.session.commit()
    return places


def wall(moment: datetime) -> str:
    """'2027-03-25T09:00:00': the network's wall time, as the parsers report it."""
    return utc_to_local(moment).isoformat()


def give_up(places: list[Registration]) -> list[Registration]:
    """Cancel one person's places as leaving a series does: no registration_cancelled per
    place (the caller sends series_left), their calendar copy raised once. Freed seats are not
    handed on here."""
    now = datetime.now(UTC)
    for place in places:
        give_up_place(place, now)
    offset_after_giving_up(places[0].email, places[0].event)
    return places
