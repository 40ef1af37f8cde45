"""The public feed answered before Flask, from the state this process keeps, as Flask answered.

Calendar apps revalidate every feed every few minutes to hours, forever: it is the request
this app answers most, and Flask's machinery around it (request context, session, security
headers computed afresh) costs more than the answer. When this process's watch
(calendar.version_watch) holds the current state, the feed's ETag is known without a query,
and what Flask last answered for that ETag can be given again:

- a GET or HEAD whose If-None-Match names it gets the 304, with the other headers of Flask's
  last 304 of the feed;
- one without conditions (or whose If-None-Match names another) gets Flask's last 200 for
  that ETag, once that 200 carried its Last-Modified (calendar.http sends none during the
  second the ETag was first served; a 200 without one is not repeated, so every client gets
  the date as soon as there is one).

Only what is certain is answered here: /calendar.ics with a query string of the feed's own
arguments only (anything else may be a 400: Flask decides), no If-Modified-Since, Range or
If-Match, and a kept state. Everything else, and anything unexpected, goes to Flask, whose
answers this learns from. An ETag names the data and the request's filter, language and
encoding, so an answer kept for it is the answer.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.datastructures import LanguageAccept, MultiDict
from werkzeug.http import parse_accept_header, parse_etags

from ..db.types import utcnow
from ..page_cache import answer_seen
from .http import GZIP_SUFFIX
from .public_feeds import FILTER_ARGUMENTS, public_feed_etag, requested_filter

log = logging.getLogger(__name__)

PATH = "/calendar.ics"
#: Headers of one response only, never repeated.
_OWN = {"date", "server", "set-cookie"}
#: Nor these of a 304, which belong to its own ETag.
_NOT_REPLAYED = _OWN | {"etag", "last-modified", "content-length"}
_ARGUMENTS = {*FILTER_ARGUMENTS, "lang"}
#: Conditions this does not evaluate: Flask does.
_FLASK_DECIDES = ("HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE", "HTTP_IF_MATCH", "HTTP_IF_RANGE")
#: 200s kept: the current version's few languages, filters and encodings.
KEPT_ANSWERS = 32


def choose_language(asked: str | None, accept_language: str, supported: tuple, default: str):
    """?lang= when supported, else the best of Accept-Language, else the default: the feed's
    language (calendar.views.feed_language), never the session's."""
    if asked in supported:
        return asked
    return _best_language(accept_language, supported) or default


@lru_cache(maxsize=512)
def _best_language(header: str, supported: tuple) -> str | None:
    return parse_accept_header(header, LanguageAccept).best_match(supported)


@lru_cache(maxsize=512)
def _accepts_gzip(header: str) -> bool:
    return parse_accept_header(header)["gzip"] > 0


@lru_cache(maxsize=1024)
def _arguments(query: str) -> tuple[str | None, tuple] | None:
    """(?lang=, the filter) of a query string of the feed's own arguments, each once and
    printable; None for anything else."""
    try:
        args = MultiDict(parse_qsl(query, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        return None
    if any(name not in _ARGUMENTS for name in args) or any(
        len(values) > 1 or not all(value.isprintable() for value in values)
        for values in args.listvalues()
    ):
        return None
    return args.get("lang"), tuple(sorted(requested_filter(args).items()))


class FeedFront:
    """WSGI middleware in front of the app (see the module's docstring)."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.app = app
        self.wsgi_app = wsgi_app
        #: The other headers of Flask's last 304 of the feed, plain and gzipped.
        self.not_modified: dict[bool, list[tuple[str, str]]] = {}
        #: Flask's 200s by ETag: headers, body.
        self.answers: OrderedDict[str, tuple[list[tuple[str, str]], bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._etag = lru_cache(maxsize=1024)(self._etag_of)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") not in (
            "GET",
            "HEAD",
        ):
            return self.wsgi_app(environ, start_response)
        tag = None
        try:
            gzipped = _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
            tag = self._current_tag(environ, gzipped)
            answer = self._answer(environ, tag, gzipped) if tag else None
        except Exception:  # anything unexpected: Flask answers, as it would without this
            log.exception("public feed front")
            answer = None
        if answer is not None:
            status, headers, body = answer
            start_response(status, headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self._learning(environ, start_response, tag)

    def _current_tag(self, environ: dict, gzipped: bool) -> str | None:
        watch = self.app.extensions.get("hytu_version_watch")
        if watch is None or any(name in environ for name in _FLASK_DECIDES):
            return None
        arguments = _arguments(environ.get("QUERY_STRING", ""))
        state = watch.kept(utcnow()) if arguments is not None else None
        if state is None:
            return None
        asked, requested = arguments
        config = self.app.config
        language = choose_language(
            asked,
            environ.get("HTTP_ACCEPT_LANGUAGE", ""),
            tuple(config["SUPPORTED_LANGUAGES"]),
            config["BABEL_DEFAULT_LOCALE"],
        )
        return self._etag(state, requested, language) + (GZIP_SUFFIX if gzipped else "")

    def _answer(self, environ: dict, tag: str, gzipped: bool):
        if "HTTP_IF_NONE_MATCH" in environ and parse_etags(
            environ["HTTP_IF_NONE_MATCH"]
        ).contains_weak(tag):
            headers = self.not_modified.get(gzipped)
            return None if headers is None else ("304 NOT MODIFIED", [*headers, _etag(tag)], b"")
        with self._lock:
            kept = self.answers.get(tag)
        return None if kept is None else ("200 OK", *kept)

    def _etag_of(self, state, requested: tuple, language: str) -> str:
        return public_feed_etag(state, dict(requested), language, self.app.config)

    def _learning(self, environ: dict, start_response: Callable, tag: str | None):
        body, status, headers = answer_seen(self.wsgi_app, environ, start_response)
        names = {name.lower(): value for name, value in headers}
        if status.startswith("304"):
            gzipped = names.get("etag", "").endswith(GZIP_SUFFIX + '"')
            self.not_modified[gzipped] = [
                (name, value) for name, value in headers if name.lower() not in _NOT_REPLAYED
            ]
        elif (
            status.startswith("200")
            and tag is not None
            and names.get("etag") == f'"{tag}"'
            and "last-modified" in names
            and environ["REQUEST_METHOD"] == "GET"
        ):
            content = b"".join(body)
            if hasattr(body, "close"):
                body.close()
            with self._lock:
                self.answers[tag] = (
                    [(name, value) for name, value in headers if name.lower() not in _OWN],
                    content,
                )
                while len(self.answers) > KEPT_ANSWERS:
                    self.answers.popitem(last=False)
            return [content]
        return body


def _etag(tag: str) -> tuple[str, str]:
    return ("ETag", f'"{tag}"')


def init_app(app: Flask) -> None:
    """On PostgreSQL (outside tests unless asked for): the watch, and this in front."""
    import sqlalchemy as sa

    from ..page_cache import STATE_READER
    from .public_feeds import feed_state
    from .version_watch import Watch

    # The public pages' cache reads the same state (page_cache).
    app.extensions[STATE_READER] = feed_state
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    watching = app.config.get("HYTU_FEED_VERSION_WATCH", not app.testing)
    if not url.startswith("postgresql") or not watching:
        return
    app.extensions["hytu_version_watch"] = Watch(sa.make_url(url))
    app.wsgi_app = FeedFront(app, app.wsgi_app)
