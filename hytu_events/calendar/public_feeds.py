"""The public feed's hot path: its validator from one cheap query, its body built once per
version of the data and kept for every worker and instance (calendar.feed_cache).

Calendar apps poll every feed every few minutes to hours, forever, so a revalidation is the
request this app answers most. It used to load every event to compute the ETag. Now the
ETag names what the feed is made of without reading it:

- the data version (calendar.data_version), which a trigger raises with every change of the
  rows a public feed shows, committed with the change;
- the window's edge: the latest end of a published event now older than the window, and of a
  cancelled one now over. The feed loses such an event without any row changing, and these
  two move exactly then;
- what the request asked for (the filter's values as written, the language) and the settings
  the bytes depend on.

A 304 therefore runs this one query whatever the number of events, and a 200 for a version
already built reads the kept bytes. Only public data is kept: personal and coordinator feeds
carry personal data and are built for each request (calendar.views).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..events.models import Event, EventStatus
from ..extensions import db
from .data_version import CalendarVersion
from .feed_cache import feed_cache
from .feeds import output_version
from .http import Body

#: The query-string values that choose a public feed's events, as events.filters reads them.
FILTER_ARGUMENTS = ("kind", "municipality", "measure")


@dataclass(frozen=True)
class FeedState:
    """What every public feed is made of at one moment (see the module's docstring)."""

    version: int
    token: str
    #: The latest end of a published event that is past the window.
    aged: datetime | None
    #: The latest end of a cancelled event that is over.
    over: datetime | None
    #: The public pages' number (data_version), which the feeds' ETags leave out.
    pages: int = 0


def past_window(config: Mapping) -> timedelta:
    return timedelta(weeks=config["HYTU_FEED_PAST_WEEKS"])


def _edge(function, status: EventStatus, condition) -> sa.ScalarSelect:
    return (
        sa.select(function(Event.ends_at)).where(Event.status == status, condition)
    ).scalar_subquery()


def read_state(now: datetime) -> tuple[FeedState | None, datetime | None]:
    """The state, and the window's next edge (when it changes by time alone), in one query.
    None when the version row is missing (an emptied database before its next change):
    such a feed is built and never kept."""
    window = past_window(current_app.config)
    row = db.session.execute(
        sa.select(
            CalendarVersion.version,
            CalendarVersion.token,
            CalendarVersion.pages,
            _edge(sa.func.max, EventStatus.PUBLISHED, Event.ends_at <= now - window),
            _edge(sa.func.max, EventStatus.CANCELLED, Event.ends_at <= now),
            _edge(sa.func.min, EventStatus.PUBLISHED, Event.ends_at > now - window),
            _edge(sa.func.min, EventStatus.CANCELLED, Event.ends_at > now),
        ).where(CalendarVersion.id == 1)
    ).one_or_none()
    if row is None:
        return None, None
    version, token, pages, aged, over, next_aged, next_over = row
    edges = [edge for edge in (next_aged and next_aged + window, next_over) if edge]
    return FeedState(version, token, aged, over, pages), min(edges, default=None)


def feed_state(now: datetime) -> FeedState | None:
    """The state at `now`: kept by this process's watch when it can (PostgreSQL:
    calendar.version_watch), else read in one query."""
    watch = current_app.extensions.get("hytu_version_watch")
    if watch is None:
        return read_state(now)[0]
    if (kept := watch.kept(now)) is not None:
        return kept
    generation, read_at = watch.generation, time.monotonic()
    state, until = read_state(now)
    if state is not None:
        watch.keep(generation, state, until, read_at)
    return state


def requested_filter(args: Mapping[str, str]) -> dict[str, str]:
    """The filter's values as the request wrote them (events.filters strips them and reads
    municipalities in lower case, so these spellings are the same feed)."""
    values = {name: args.get(name, "").strip() for name in FILTER_ARGUMENTS}
    values["municipality"] = values["municipality"].lower()
    return {name: value for name, value in values.items() if value}


def public_feed_etag(
    state: FeedState, requested: dict[str, str], language: str, config: Mapping | None = None
) -> str:
    config = config if config is not None else current_app.config
    material = [
        output_version(),
        "public",
        requested,
        language,
        config["BASE_URL"],
        config["HYTU_TIMEZONE"],
        config["HYTU_FEED_REFRESH_MINUTES"],
        config["HYTU_FEED_PAST_WEEKS"],
        state.token,
        state.version,
        state.aged.isoformat() if state.aged else None,
        state.over.isoformat() if state.over else None,
    ]
    digest = hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()
    return digest[:32]


def kept_body(etag: str, build: Callable[[], Body]) -> Body:
    """The feed's bytes for `etag`: kept ones, or `build`'s, then kept. Redis holds the
    gzipped bytes only (about a fourteenth of the size); a process that needs the plain ones
    unpacks them once and keeps them itself."""
    cache = feed_cache()
    gzipped = cache.get(f"gzip:{etag}")
    if gzipped is None:
        body = build()
        cache.put(f"gzip:{etag}", body.gzipped)
        cache.local.put(f"plain:{etag}", body.plain)
        return body

    def plain() -> bytes:
        if (kept := cache.local.get(f"plain:{etag}")) is None:
            kept = gzip.decompress(gzipped)
            cache.local.put(f"plain:{etag}", kept)
        return kept

    return Body(gzipped=gzipped, unpack=plain)
