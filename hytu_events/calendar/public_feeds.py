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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..events.models import Event, EventStatus
from ..extensions import db
from .data_version import CalendarVersion
from .feed_cache import feed_cache
from .feeds import FORMAT_VERSION
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


def past_window() -> timedelta:
    return timedelta(weeks=current_app.config["HYTU_FEED_PAST_WEEKS"])


def feed_state(now: datetime) -> FeedState | None:
    """One query. None when the version row is missing (an emptied database before its next
    change): such a feed is built and never kept."""
    aged = (
        sa.select(sa.func.max(Event.ends_at))
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now - past_window())
        .scalar_subquery()
    )
    over = (
        sa.select(sa.func.max(Event.ends_at))
        .where(Event.status == EventStatus.CANCELLED, Event.ends_at <= now)
        .scalar_subquery()
    )
    row = db.session.execute(
        sa.select(CalendarVersion.version, CalendarVersion.token, aged, over).where(
            CalendarVersion.id == 1
        )
    ).one_or_none()
    return FeedState(*row) if row is not None else None


def requested_filter(args: Mapping[str, str]) -> dict[str, str]:
    """The filter's values as the request wrote them (events.filters strips them and reads
    municipalities in lower case, so these spellings are the same feed)."""
    values = {name: args.get(name, "").strip() for name in FILTER_ARGUMENTS}
    values["municipality"] = values["municipality"].lower()
    return {name: value for name, value in values.items() if value}


def public_feed_etag(state: FeedState, requested: dict[str, str], language: str) -> str:
    config = current_app.config
    material = [
        FORMAT_VERSION,
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
