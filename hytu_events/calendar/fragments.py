"""The bytes of each entry of a published calendar (an event's VEVENT, or a series' VEVENTs),
kept in this process by the versions of the rows they are made of.

A feed changes with any of its events, but one change leaves the other 999 VEVENTs as they
were: rebuilding the feed then serialises one event and copies the rest. Only what a calendar
shows to anyone goes in: the public feeds pass this, invitations and personal feeds do not.
Every row an entry shows moves its `updated_at` with each change (the ORM stamps it), and the
key names each of them, the language and the envelope, so a kept entry is never out of date;
entries of past versions simply fall out as the least recently used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping

from flask import current_app
from flask_babel import get_locale

from ..events.models import Event
from ..registrations.models import RegistrationStatus
from .components import Envelope
from .recurring import SeriesView

#: Entries kept: a few feeds' worth in each of the three languages.
SIZE = 20_000

Build = Callable[[Event | SeriesView, Envelope, Mapping[int, RegistrationStatus]], bytes]


def _versions(event: Event) -> tuple:
    return (event.id, event.revision, event.updated_at.isoformat(), event.status.value)


def entry_key(entry: Event | SeriesView, envelope: Envelope) -> tuple:
    """Everything the entry's bytes are made of (for a published calendar)."""
    if isinstance(entry, SeriesView):
        if entry.former:
            return ()  # a split's former instances: messages only, never kept
        series = entry.series
        rows = (
            "series",
            series.id,
            series.revision,
            series.updated_at.isoformat(),
            entry.whole,
            tuple(date.id for date in entry.dates),
            # The master's EXDATEs and LAST-MODIFIED read every date of the series.
            tuple(_versions(date) for date in series.dates),
        )
    else:
        rows = ("event", *_versions(entry))
    return (str(get_locale()), envelope.base_url, envelope.tzid, *rows)


class Fragments:
    """Kept entries of published calendars (see the module's docstring)."""

    def __init__(self, size: int = SIZE):
        self._kept: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def of(
        self,
        entry: Event | SeriesView,
        envelope: Envelope,
        participation: Mapping[int, RegistrationStatus],
        build: Build,
    ) -> bytes:
        if participation or envelope.attendee or envelope.organizer or envelope.dtstamp:
            raise ValueError("only published calendars keep their entries")
        key = entry_key(entry, envelope)
        if not key:
            return build(entry, envelope, participation)
        with self._lock:
            if (kept := self._kept.get(key)) is not None:
                self._kept.move_to_end(key)
                return kept
        made = build(entry, envelope, participation)
        with self._lock:
            self._kept[key] = made
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return made


def published_fragments() -> Fragments:
    """This app's kept entries."""
    return current_app.extensions.setdefault("hytu_calendar_fragments", Fragments())
