"""Calendar responses with validators, answering conditional requests with 304, gzipped for
clients that accept it.

Calendar clients poll feeds every few minutes to hours; a 304 saves building and sending the
whole calendar. werkzeug does the comparison (If-None-Match wins over If-Modified-Since, as
RFC 9110 says). The ETag comes from the data, so it changes exactly when the data does.

Last-Modified is not read from the data. HTTP dates count whole seconds, and a timestamp is
taken before its transaction commits, so two changes within one second (or one that commits
late) could leave it where a client's copy already is: that client, revalidating by date
alone, got a stale 304 in 7 of 8 trials. Instead Last-Modified is the moment this server
first served the current ETag (`FirstSeen`), which is after the data behind it committed,
and it is sent only once that moment's second is over, before this request began: a later
ETag is first seen after this request read its data, so in a later second, and its
Last-Modified is then later than any this one gave. Clients that got none revalidate with
the ETag or download again. It assumes only that the clocks of the instances agree (NTP) and
that an ETag never comes back (each one names its data's versions or change times).

A gzipped body is another representation: its ETag is the identity one with `:gzip` added
(as Flask-Compress writes it for the other pages), its bytes the same for the same data
(no time in the gzip header), so a strong ETag stays true.
"""

from __future__ import annotations

import gzip
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Response, current_app, request

from ..db.types import utcnow
from .feed_cache import feed_cache

CALENDAR_MIMETYPE = "text/calendar"
GZIP_SUFFIX = ":gzip"


@dataclass(frozen=True)
class Body:
    """A calendar's bytes, gzipped, and plain when asked for."""

    gzipped: bytes
    unpack: Callable[[], bytes]

    @property
    def plain(self) -> bytes:
        return self.unpack()

    @classmethod
    def of(cls, plain: bytes, level: int = 6) -> Body:
        return cls(gzip.compress(plain, compresslevel=level, mtime=0), lambda: plain)


class FirstSeen:
    """When this process first served each ETag (of the calendars not kept in the feed cache,
    whose times are shared there instead). A bounded memory: an ETag forgotten and seen again
    gets a later time, which costs a client a download, never a stale copy."""

    def __init__(self, size: int = 50_000):
        self._times: OrderedDict[str, datetime] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def claim(self, etag: str, now: datetime) -> datetime:
        with self._lock:
            seen = self._times.setdefault(etag, now)
            self._times.move_to_end(etag)
            if len(self._times) > self._size:
                self._times.popitem(last=False)
            return seen


def first_seen(etag: str, now: datetime, *, shared: bool) -> datetime:
    """When `etag` was first served, `now` if never: by any worker or instance (`shared`,
    public data only) or by this process."""
    if shared:
        kept = feed_cache().claim(f"seen:{etag}", now.isoformat().encode())
        return datetime.fromisoformat(kept.decode())
    registry = current_app.extensions.setdefault("hytu_first_seen", FirstSeen())
    return registry.claim(etag, now)


def last_modified(seen: datetime, started: datetime) -> datetime | None:
    """`seen` once its second is over before `started` (see the module's docstring)."""
    if int(seen.timestamp()) < int(started.timestamp()):
        return seen.astimezone(UTC).replace(microsecond=0)
    return None


def accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def calendar_response(
    body: Callable[[], Body],
    *,
    etag: str,
    started: datetime,
    filename: str | None = None,
    private: bool = False,
    max_age: int = 300,
    shared_first_seen: bool = False,
) -> Response:
    """`body` runs only when the client's copy is stale. `started`: when the request began,
    before any of the data behind `etag` was read. `filename` makes it a download (event
    files); feeds have none, so a browser shows them and calendar apps subscribe."""
    gzipped = accepts_gzip()
    tag = etag + GZIP_SUFFIX if gzipped else etag
    response = Response(mimetype=CALENDAR_MIMETYPE)  # werkzeug adds "; charset=utf-8"
    response.set_etag(tag)
    if private:
        # A secret feed address: no shared cache may keep a copy.
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    response.cache_control.max_age = max_age
    # The calendar's name and texts follow ?lang= or the client's languages.
    response.vary.add("Accept-Language")
    response.vary.add("Accept-Encoding")
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # If-None-Match alone decides when present (RFC 9110 13.2.2): no date is needed then.
    if request.if_none_match and request.if_none_match.contains_weak(tag):
        return response.make_conditional(request)
    modified = last_modified(first_seen(etag, utcnow(), shared=shared_first_seen), started)
    if modified is not None:
        response.last_modified = modified  # (None would make werkzeug write the time now)
        if (
            not request.if_none_match
            and request.if_modified_since
            and modified <= request.if_modified_since
        ):
            return response.make_conditional(request)
    built = body()
    response.set_data(built.gzipped if gzipped else built.plain)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    return response.make_conditional(request)


def ascii_filename(title: str, fallback: str) -> str:
    """'HYTU-klinikka: Inari' -> 'hytu-klinikka-inari.ics'; safe in any header."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-")
    return f"{slug or fallback}.ics"
