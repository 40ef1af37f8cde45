"""What a series' page shows: each date with its state and places, and attendance across the
dates held (drawn with _charts.html's column_chart, beside the table of its numbers)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..events.models import Event, EventStatus
from ..i18n import short_day
from ..local_time import utc_to_local
from ..registrations.seats import SeatCount, seat_counts, seats_left
from . import attendance
from .models import Series


@dataclass(frozen=True)
class DateRow:
    event: Event
    count: SeatCount
    #: Seats nobody holds; None without a limit.
    left: int | None
    ended: bool

    @property
    def moved(self) -> bool:
        """Moved on its own from the start the rule gave it (a calendar exception)."""
        return self.event.starts_at != self.event.recurrence_id


@dataclass(frozen=True)
class HeldDate:
    label: str
    event: Event
    participants: int


@dataclass(frozen=True)
class Overview:
    rows: list[DateRow]
    held: list[HeldDate]
    statuses: Counter

    @property
    def chart_rows(self) -> list[tuple[str, int]]:
        return [(date.label, date.participants) for date in self.held]

    @property
    def published(self) -> int:
        return self.statuses[EventStatus.PUBLISHED]

    @property
    def drafts(self) -> int:
        return self.statuses[EventStatus.DRAFT]

    @property
    def cancelled(self) -> int:
        return self.statuses[EventStatus.CANCELLED]

    @property
    def all_drafts(self) -> bool:
        return set(self.statuses) == {EventStatus.DRAFT}


def overview(series: Series, now: datetime) -> Overview:
    """The dates in the rule's order, with their places (one query for all) and how many took
    part in each date held."""
    dates = list(series.dates)
    counts = seat_counts([event.id for event in dates])
    rows = [
        DateRow(event, counts[event.id], seats_left(event, counts[event.id]), event.ends_at <= now)
        for event in dates
    ]
    held_events = [
        row.event for row in rows if row.ended and row.event.status is EventStatus.PUBLISHED
    ]
    took_part = attendance.participants([event.id for event in held_events])
    held = [
        HeldDate(short_day(utc_to_local(event.starts_at).date()), event, took_part.get(event.id, 0))
        for event in held_events
    ]
    return Overview(
        rows=rows,
        held=held,
        statuses=Counter(event.status for event in dates),
    )
