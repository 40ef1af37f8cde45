"""Events and registrations for the calendar tests."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hytu_events.extensions import db
from hytu_events.models import Language, Registration, RegistrationStatus
from tests.helpers import organisation

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime.now(UTC).replace(microsecond=0)
#: Old enough that any change made in a test moves updated_at (and Last-Modified) forward.
LONG_AGO = NOW - timedelta(days=30)


def helsinki(day: date, hour: int = 9) -> datetime:
    """09:00 Finnish wall time on `day`, as an aware UTC datetime."""
    return datetime.combine(day, time(hour), HELSINKI).astimezone(UTC)


def last_sunday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - 6) % 7)


def dst_days(year: int) -> dict[str, date]:
    """Thursdays either side of the spring and autumn switches of `year`."""
    spring, autumn = last_sunday(year, 3), last_sunday(year, 10)
    return {
        "before_spring": spring - timedelta(days=3),
        "after_spring": spring + timedelta(days=4),
        "before_autumn": autumn - timedelta(days=3),
        "after_autumn": autumn + timedelta(days=4),
    }


def register(event, name: str, email: str, status=RegistrationStatus.CONFIRMED) -> Registration:
    registration = Registration(
        event_id=event.id,
        name=name,
        email=email.lower(),
        organisation_id=organisation("lapin-avi").id,
        job_title="Hyvinvointikoordinaattori",
        needs="Pyörätuoli",
        language=Language.FI,
        consent_at=NOW,
        status=status,
        cancelled_at=NOW if status is RegistrationStatus.CANCELLED else None,
        created_at=LONG_AGO,
        updated_at=LONG_AGO,
    )
    db.session.add(registration)
    db.session.commit()
    return registration
