"""The bytes of each entry of a published calendar (an event's VEVENT, or a series' VEVENTs),
kept by the versions of the rows they are made of.

A feed changes with any of its events, but one change leaves the other 999 VEVENTs as they
were: rebuilding the feed then serialises one event and copies the rest. Only what a calendar
shows to anyone goes in: the public feeds pass this, invitations and personal feeds do not.
Every row an entry shows moves its `updated_at` with each change (the ORM stamps it), and the
key names each of them, the language and the envelope, so a kept entry is never out of date;
entries of past versions simply age out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

from flask_babel import get_locale

from ..events.models import Event
from ..registrations.models import RegistrationStatus
from .components import Envelope
from .feed_cache import feed_cache
from .feeds import output_version
from .recurring import SeriesView

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
    return (output_version(), str(get_locale()), envelope.base_url, envelope.tzid, *rows)


class Fragments:
    """Kept entries of published calendars (see the module's docstring), in `store`."""

    def __init__(self, store):
        self._store = store

    def many(
        self,
        entries: list[Event | SeriesView],
        envelope: Envelope,
        participation: Mapping[int, RegistrationStatus],
        build: Build,
    ) -> list[bytes]:
        """Each entry's bytes: kept ones in one look-up, the others built and kept."""
        if participation or envelope.attendee or envelope.organizer or envelope.dtstamp:
            raise ValueError("only published calendars keep their entries")
        names = [_name(entry_key(entry, envelope)) for entry in entries]
        found = dict(zip(names, self._store.get_many([n for n in names if n]), strict=False))
        made = {}
        result = []
        for entry, name in zip(entries, names, strict=True):
            kept = found.get(name) if name else None
            if kept is None:
                kept = build(entry, envelope, participation)
                if name:
                    made[name] = kept
            result.append(kept)
        self._store.put_many(made)
        return result


def _name(key: tuple) -> str | None:
    return "entry:" + hashlib.sha256(repr(key).encode()).hexdigest()[:32] if key else None


def published_fragments() -> Fragments:
    """The kept entries, where the feeds are kept (calendar.feed_cache): shared by every
    worker, so a rebuild after a change serialises only what changed, wherever it runs."""
    return Fragments(feed_cache())
