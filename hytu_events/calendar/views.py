"""Calendar endpoints: one event as a file, the public feed, personal feeds."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..cookieless import cookieless
from ..db.types import utcnow
from ..events.filters import parse_event_filter
from ..events.queries import EventFilter, public_event_or_404
from ..extensions import db
from ..feed_tokens import tokens
from ..registrations.models import Registration
from ..registrations.tokens import registration_for_token
from ..secret_links import secret_link
from . import (
    personal_data,  # noqa: F401 - registers the feed tokens' shredder
    public_feeds,
)
from .feed_front import choose_language
from .feeds import event_file_feed, personal_feed, public_feed
from .fragments import published_fragments
from .http import Body, ascii_filename, calendar_response
from .ical import build_calendar
from .own_dates import own_dates_feed

bp = Blueprint("calendar", __name__)


def feed_language(chosen: str | None = None) -> str:
    """?lang=, else the language a participant `chosen` when registering (their own files and
    feed), else the calendar client's Accept-Language; never the session, because calendar
    apps keep no cookies and a feed response must not set one."""
    config = current_app.config
    supported = tuple(config["SUPPORTED_LANGUAGES"])
    asked = request.args.get("lang")
    return choose_language(
        asked if asked in supported else chosen,
        request.headers.get("Accept-Language", ""),
        supported,
        config["BABEL_DEFAULT_LOCALE"],
    )


def _participant_language(email: str | None) -> str | None:
    """The language of the person's newest registration: what their mail is written in."""
    if email is None:
        return None
    language = db.session.scalars(
        sa.select(Registration.language)
        .where(Registration.email == email)
        .order_by(Registration.created_at.desc(), Registration.id.desc())
        .limit(1)
    ).first()
    return language.value if language is not None else None


def _refresh_interval() -> timedelta:
    return timedelta(minutes=current_app.config["HYTU_FEED_REFRESH_MINUTES"])


def _max_age() -> int:
    return int(_refresh_interval().total_seconds()) // 4


@bp.get("/events/<id:event_id>.ics")
@cookieless
def event_file(event_id: int):
    """'Add to calendar': one event (or the series of a date), opened by the calendar app."""
    started = utcnow()
    event = public_event_or_404(event_id)
    language = feed_language()
    with force_locale(language):
        feed = event_file_feed(event, _("HYTU events"))

    def body() -> Body:
        with force_locale(language):
            return Body.of(build_calendar(feed.events, name=feed.name))

    return calendar_response(
        body,
        etag=feed.etag(["event", event.id, language]),
        started=started,
        filename=ascii_filename(event.title, f"event-{event.id}"),
    )


@bp.get("/r/<token>/calendar.ics")
@secret_link("token")
@cookieless
def own_dates_file(token: str):
    """'Add to calendar' on the self-service page: the person's own dates, nothing more."""
    started = utcnow()
    registration = registration_for_token(token)
    if registration is None:
        abort(404)  # the same rules and the same page as the self-service page itself
    language = feed_language(registration.language.value)
    with force_locale(language):
        feed = own_dates_feed(registration, _("My HYTU events"))

    def body() -> Body:
        with force_locale(language):
            return Body.of(
                build_calendar(feed.events, name=feed.name, participation=feed.participation)
            )

    event = registration.event
    title = event.series.title if event.series is not None else event.title
    return calendar_response(
        body,
        etag=feed.etag(["own dates", registration.id, language]),
        started=started,
        filename=ascii_filename(title, f"event-{event.id}"),
        private=True,
    )


@bp.get("/calendar.ics")
@cookieless
def public_feed_ics():
    """The network's events, filtered as on the event list (?kind=, ?municipality=): its
    validator from one query, its bytes built once per version (calendar.public_feeds)."""
    started = utcnow()
    language = feed_language()
    state = public_feeds.feed_state(started)

    def build() -> Body:
        event_filter = parse_event_filter(request.args)  # an unknown value is a 400
        with force_locale(language):
            feed = public_feed(event_filter, started, language)
            return Body.of(
                build_calendar(
                    feed.events,
                    name=feed.name,
                    refresh_interval=_refresh_interval(),
                    fragments=published_fragments(),
                ),
                level=9,  # once per version: the smallest file is worth it
            )

    if state is None:
        # No version to name it by (an emptied database): built, never kept.
        return calendar_response(build, etag=secrets.token_hex(16), started=started, max_age=0)
    etag = public_feeds.public_feed_etag(
        state, public_feeds.requested_filter(request.args), language
    )
    return calendar_response(
        lambda: public_feeds.kept_body(etag, build),
        etag=etag,
        started=started,
        max_age=_max_age(),
        shared_first_seen=True,
    )


@bp.get("/calendar/personal/<token>.ics")
@secret_link("token", own_cache_control=True)
@cookieless
def personal_feed_ics(token: str):
    """A participant's own events, at a secret address from their emails. Personal data:
    built for each request that needs it, never kept (calendar.public_feeds keeps only the
    public feeds)."""
    started = utcnow()
    token_row = tokens.find_active(token)
    if token_row is None:
        abort(404)  # the same page as any unknown address: nothing tells what was wrong
    tokens.touch(token_row)
    language = feed_language(_participant_language(token_row.email))
    with force_locale(language):
        feed = personal_feed(token_row, started)

    def body() -> Body:
        with force_locale(language):
            return Body.of(
                build_calendar(
                    feed.events,
                    name=feed.name,
                    refresh_interval=_refresh_interval(),
                    participation=feed.participation,
                )
            )

    return calendar_response(
        body,
        etag=feed.etag(["personal", token_row.id, language]),
        started=started,
        private=True,
        max_age=_max_age(),
    )


def public_feed_urls(event_filter: EventFilter, language: str) -> dict[str, str]:
    """The https and webcal:// addresses of the public feed for a filter, for the list page."""
    args = {"lang": language, **event_filter.as_args()}
    https = (
        f"{current_app.config['BASE_URL']}{url_for('calendar.public_feed_ics')}?{urlencode(args)}"
    )
    # webcal:// asks the operating system to subscribe in the default calendar app.
    webcal = "webcal://" + https.split("://", 1)[1]
    return {"https": https, "webcal": webcal}


@bp.app_template_global()
def calendar_feed_urls(event_filter: EventFilter) -> dict[str, str]:
    from ..i18n import current_language

    return public_feed_urls(event_filter, current_language())
