"""The public pages anonymous readers ask for most, answered before Flask from a kept copy.

The event list (/), an event's page and the summary (/summary) are the same for every
anonymous reader asking in the same language, with the same query string and the same
Accept-Encoding, while the data they show stays: the data version's `pages` number
(calendar.data_version), which database triggers raise in the transaction of every change of
anything these pages show (events, seats, the plan, outcomes). A page is kept under a key
naming all of that and the minute (what leaves the list by time alone, or closes by a
deadline, changes at most a minute late), in the feed cache's store (Redis when
HYTU_FEED_CACHE_URI or RATELIMIT_STORAGE_URI names one, shared by every worker and
instance; else this process's memory). Nothing is ever invalidated: a change moves the number,
so the next request asks for another key, and old ones age out.

Nothing personal is kept or served:
- a copy is learnt only from a GET that carried no cookie at all (so no session, no login, no
  flashed message), answered 200 with HTML, no Set-Cookie (a page that made a CSRF token or
  remembered ?lang= wrote the session, so it is never kept), no private Cache-Control and
  no CSRF field;
- a copy is served only to a request whose cookies are none, or only a session holding no
  more than its language (and a CSRF token, which these pages carry none of): a logged-in
  coordinator, a remember-me cookie, a flashed message, any other cookie go to Flask. A reader
  who chose a language is served the pages learnt from readers whose browser asks for it.

The state comes from the calendar's watch with no query when it holds one (PostgreSQL:
calendar.version_watch), else in one query; a page is kept under the state read before Flask
read its data, so a kept page is never older than its key says.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable
from functools import lru_cache
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl

from flask import Flask
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from .db.types import utcnow

log = logging.getLogger(__name__)

#: The pages kept: the event list, an event's page, the summary.
PAGES = re.compile(r"/(?:|summary|events/[1-9][0-9]{0,9})")
#: The registration form: kept without its CSRF token, which each reader gets anew.
FORMS = re.compile(r"/events/[1-9][0-9]{0,9}/register")
#: Where the token goes in a kept form and its cookie (never in a page: it is not printable).
_TOKEN, _COOKIE = b"\0csrf\0", "\0session\0"
_CLEARED = re.compile(r"[^=;]+=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0;")
#: A page is kept for the minute it was made in, at most.
MINUTE = 60
#: How long Redis keeps a page: its key names the minute, so one more minute is plenty.
KEPT_SECONDS = 2 * MINUTE
#: The query arguments each page reads (events.filters, paging, reporting.filters, i18n):
#: a query string of others, or one twice, goes to Flask and is never kept, so that made-up
#: addresses cannot fill the cache.
ARGUMENTS = {
    "/": frozenset({"kind", "municipality", "measure", "when", "page", "lang"}),
    "/summary": frozenset({"year", "sub_region", "lang"}),
}
PAGE_ARGUMENTS = frozenset({"lang"})
#: What a session may hold and still be served kept pages.
ANONYMOUS_SESSION = frozenset({"lang", "csrf_token", "_permanent"})
#: Headers of one response only, never repeated.
_OWN = {"date", "server", "set-cookie", "x-request-id"}
_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
#: app.extensions: the state reader (calendar.public_feeds.feed_state), set by the calendar.
STATE_READER = "hytu_data_state"


@lru_cache(maxsize=512)
def _best_language(header: str, supported: tuple) -> str | None:
    return parse_accept_header(header, LanguageAccept).best_match(supported)


def answer_seen(wsgi_app: Callable, environ: dict, start_response: Callable):
    """Flask's answer passed on as it is, and also its body, status and headers, for a front
    that learns from it (this cache, the feed front). Flask starts the response before it
    returns the body, so both are known on return."""
    seen: dict = {}

    def learn(status: str, headers: list, *args):
        seen.update(status=status, headers=headers)
        return start_response(status, headers, *args)

    body = wsgi_app(environ, learn)
    return body, seen.get("status", ""), seen.get("headers", [])


class PageFront:
    """WSGI middleware in front of the app (see the module's docstring)."""

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.app = app
        self.wsgi_app = wsgi_app
        self._serializer = None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
        if method in ("GET", "HEAD") and FORMS.fullmatch(path) and "HTTP_COOKIE" not in environ:
            return self._form(environ, start_response)
        if method not in ("GET", "HEAD") or not PAGES.fullmatch(path):
            return self.wsgi_app(environ, start_response)
        try:
            key = self._key(environ)
            kept = self._store().get(key) if key else None
        except Exception:  # anything unexpected: Flask answers, as it would without this
            log.exception("page cache")
            key = kept = None
        if kept is not None:
            headers, body = _unpack(kept)
            start_response("200 OK", [*headers, ("X-Request-ID", _request_id(environ))])
            return [] if method == "HEAD" else [body]
        if key is None or method != "GET" or "HTTP_COOKIE" in environ:
            return self.wsgi_app(environ, start_response)
        return self._learning(environ, start_response, key)

    def _store(self):
        return self.app.extensions["hytu_feed_cache"]

    def _form(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """The registration form of a reader with no session yet: the kept form with a new
        CSRF token, and the session cookie that holds it, as Flask would make them."""
        plain = {key: value for key, value in environ.items() if key != "HTTP_ACCEPT_ENCODING"}
        try:
            key = self._key(plain)
            kept = self._store().get(key) if key else None
        except Exception:
            log.exception("page cache")
            key = kept = None
        if kept is not None:
            headers, body = _unpack(kept)
            raw = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - as Flask-WTF makes it
            token = self._csrf_serializer().dumps(raw).encode()
            cookie = self._session_serializer().dumps({self._csrf_field(): raw})
            body = body.replace(_TOKEN, token)
            headers = [
                (name, value.replace(_COOKIE, cookie) if name.lower() == "set-cookie" else value)
                for name, value in headers
                if name.lower() != "content-length"
            ]
            headers += [("Content-Length", str(len(body))), ("X-Request-ID", _request_id(plain))]
            start_response("200 OK", headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        if key is None or environ["REQUEST_METHOD"] != "GET":
            return self.wsgi_app(environ, start_response)
        seen: dict = {}

        def learn(status: str, headers: list, *args):
            seen.update(status=status, headers=headers)
            return start_response(status, headers, *args)

        # Learnt plain: the token is replaced in the bytes.
        body = self.wsgi_app(plain, learn)
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        template = self._form_template(seen.get("status", ""), seen.get("headers", []), content)
        if template is not None:
            self._store().put(key, template, ttl=KEPT_SECONDS)
        return [content]

    def _form_template(self, status: str, headers: list, content: bytes) -> bytes | None:
        """The form Flask made, its token and cookie replaced by placeholders; None unless
        the session holds the CSRF token and nothing else, and the page that token alone."""
        names = [name.lower() for name, _value in headers]
        # The same for everyone: Flask-Login clears a remember-me cookie no one sent.
        cookies = [
            value
            for name, value in headers
            if name.lower() == "set-cookie" and not _CLEARED.match(value)
        ]
        cookie_name = self.app.config["SESSION_COOKIE_NAME"] + "="
        if not status.startswith("200 ") or "content-encoding" in names or len(cookies) != 1:
            return None
        if not cookies[0].startswith(cookie_name):
            return None
        cookie = cookies[0][len(cookie_name) :].split(";", 1)[0]
        session = self._session_serializer().loads(cookie)
        field = self._csrf_field()
        tokens = set(re.findall(rb'name="' + field.encode() + rb'"[^>]*value="([^"]+)"', content))
        if set(session) != {field} or len(tokens) != 1:
            return None
        [token] = tokens
        raw = session[field]
        if self._csrf_serializer().loads(token.decode()) != raw or raw.encode() in content:
            return None
        kept = [
            (name, value.replace(cookie, _COOKIE, 1) if value == cookies[0] else value)
            for name, value in headers
            if name.lower() not in _OWN - {"set-cookie"}
        ]
        return _pack(kept, content.replace(token, _TOKEN))

    def _csrf_field(self) -> str:
        return self.app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"

    def _csrf_serializer(self) -> URLSafeTimedSerializer:
        secret = self.app.config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token")

    def _session_serializer(self):
        if self._serializer is None:
            self._serializer = self.app.session_interface.get_signing_serializer(self.app)
        return self._serializer

    def _key(self, environ: dict) -> str | None:
        """The kept page's key, or None when this request must go to Flask."""
        query = environ.get("QUERY_STRING", "")
        if not _known_arguments(environ["PATH_INFO"], query):
            return None
        session = self._anonymous_session(environ.get("HTTP_COOKIE"))
        if session is None:
            return None
        config = self.app.config
        supported = tuple(config["SUPPORTED_LANGUAGES"])
        asked = dict(parse_qsl(query)).get("lang")
        if asked in supported and session.get("lang") != asked:
            return None  # Flask remembers the choice in the session
        language = (
            asked
            if asked in supported
            else session.get("lang")
            if session.get("lang") in supported
            else _best_language(environ.get("HTTP_ACCEPT_LANGUAGE", ""), supported)
            or config["BABEL_DEFAULT_LOCALE"]
        )
        state = self._state()
        if state is None:
            return None
        material = [
            state.token,
            state.pages,
            int(time.time() // MINUTE),
            language,
            environ.get("HTTP_ACCEPT_ENCODING", ""),
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("SCRIPT_NAME", ""),
            environ["PATH_INFO"],
            query,
        ]
        return "page:" + hashlib.sha256(json.dumps(material).encode()).hexdigest()[:40]

    def _anonymous_session(self, cookie_header: str | None) -> dict | None:
        """The session of a request that may be served a kept page ({} for none), else None."""
        if not cookie_header:
            return {}
        try:
            cookies = SimpleCookie(cookie_header)
        except CookieError:
            return None
        name = self.app.config["SESSION_COOKIE_NAME"]
        if set(cookies) != {name}:
            return None
        try:
            session = self._session_serializer().loads(
                cookies[name].value,
                max_age=int(self.app.permanent_session_lifetime.total_seconds()),
            )
        except Exception:  # noqa: BLE001 - a bad or expired session: Flask decides
            return None
        return session if isinstance(session, dict) and set(session) <= ANONYMOUS_SESSION else None

    def _state(self):
        watch = self.app.extensions.get("hytu_version_watch")
        now = utcnow()
        if watch is not None and (kept := watch.kept(now)) is not None:
            return kept
        read = self.app.extensions.get(STATE_READER)
        if read is None:
            return None
        with self.app.app_context():
            return read(now)

    def _learning(self, environ: dict, start_response: Callable, key: str):
        body, status, headers = answer_seen(self.wsgi_app, environ, start_response)
        if not (status.startswith("200 ") and _public_html(headers)):
            return body
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        if b'name="csrf_token"' in content:  # a form of this reader's: never anyone else's
            return [content]
        kept = [(name, value) for name, value in headers if name.lower() not in _OWN]
        self._store().put(key, _pack(kept, content), ttl=KEPT_SECONDS)
        return [content]


@lru_cache(maxsize=1024)
def _known_arguments(path: str, query: str) -> bool:
    try:
        names = [name for name, _value in parse_qsl(query, keep_blank_values=True, errors="strict")]
    except UnicodeDecodeError:
        return False
    allowed = ARGUMENTS.get(path, PAGE_ARGUMENTS)
    return len(names) == len(set(names)) and set(names) <= allowed


def _public_html(headers: list[tuple[str, str]]) -> bool:
    names = {name.lower(): value for name, value in headers}
    cache_control = names.get("cache-control", "").lower()
    return (
        "set-cookie" not in names
        and names.get("content-type", "").startswith("text/html")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _pack(headers: list[tuple[str, str]], body: bytes) -> bytes:
    return json.dumps(headers).encode() + b"\n" + body


def _unpack(value: bytes) -> tuple[list[tuple[str, str]], bytes]:
    head, _, body = value.partition(b"\n")
    return [(name, value) for name, value in json.loads(head)], body


def _request_id(environ: dict) -> str:
    sent = environ.get("HTTP_X_REQUEST_ID", "")
    return sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def init_app(app: Flask) -> None:
    """In front of the app unless HYTU_PAGE_CACHE is false (outside tests unless asked for)."""
    if app.config.get("HYTU_PAGE_CACHE", not app.testing):
        app.wsgi_app = PageFront(app, app.wsgi_app)
