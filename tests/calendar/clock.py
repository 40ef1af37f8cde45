"""A clock the calendar responses read, moved by the test (for Last-Modified, which counts
whole seconds from the moment a server first served an ETag)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Starts a tenth of a second into the current second; requests see only this time."""
    clock = Clock(datetime.now(UTC).replace(microsecond=100_000))
    monkeypatch.setattr("hytu_events.calendar.http.utcnow", clock)
    monkeypatch.setattr("hytu_events.calendar.views.utcnow", clock)
    return clock
