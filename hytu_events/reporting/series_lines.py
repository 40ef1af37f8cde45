"""A series as one line of the dashboard and the report: its dates in the period, the dates
held with the people at each, and the measures they served.

Counted as the rest of the dashboard counts: a date is *held* when it is one of the dashboard's
held events, its attendance is that event's participants, and the measures are those its held
dates serve. A date *in the period* is any date of the filter's year and sub-region but a draft
(a cancelled date was announced: it is one of the dates, not held). One query, however many
series and dates: the figures per date come from what the dashboard has already counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..events.models import Event, EventStatus
from ..extensions import db
from ..series.models import Series


@dataclass
class SeriesLine:
    series_id: int
    title: str
    #: The local day of its first date in the period.
    first_day: date
    #: Dates of the series in the period (drafts left out).
    dates: int = 0
    #: (local day, participants) of each date held, in order.
    held: list[tuple[date, int]] = field(default_factory=list)
    #: Codes of the measures its held dates served, in code order.
    measures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(count for _, count in self.held)

    @property
    def average(self) -> float | None:
        """Participants per date held; None before a date is held."""
        return self.total / len(self.held) if self.held else None


def series_lines(
    period: sa.Select,
    participants: Mapping[int, int],
    measure_codes: Mapping[int, set[str]],
    zone: ZoneInfo,
) -> list[SeriesLine]:
    """One line per series with a date in `period` (a select of event ids), by the first date.

    `participants` holds every held event (and only those) with its count, `measure_codes`
    the measures each held event served.
    """
    rows = db.session.execute(
        sa.select(Event.id, Event.series_id, Event.starts_at, Series.title)
        .join(Series, Series.id == Event.series_id)
        .where(Event.id.in_(period), Event.status != EventStatus.DRAFT)
        .order_by(Event.starts_at, Event.id)
    )
    lines: dict[int, SeriesLine] = {}
    codes: dict[int, set[str]] = {}
    for event_id, series_id, starts_at, title in rows:
        day = starts_at.astimezone(zone).date()
        line = lines.setdefault(series_id, SeriesLine(series_id, title, day))
        line.dates += 1
        if event_id in participants:
            line.held.append((day, participants[event_id]))
            codes.setdefault(series_id, set()).update(measure_codes.get(event_id, ()))
    for series_id, line in lines.items():
        line.measures = sorted(codes.get(series_id, ()))
    return list(lines.values())
