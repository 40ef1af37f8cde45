"""The network's wall clock (HYTU_TIMEZONE): the day an event was held, what is late today,
and the naive local times of forms, which the database keeps in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["HYTU_TIMEZONE"])


def local_to_utc(value: datetime | None) -> datetime | None:
    """A naive `datetime-local` value, read as local time, as aware UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=zone()).astimezone(UTC)


def utc_to_local(value: datetime | None) -> datetime | None:
    """An aware UTC value as the naive local time a `datetime-local` input shows."""
    if value is None:
        return None
    return value.astimezone(zone()).replace(tzinfo=None)
