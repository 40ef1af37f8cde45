"""Language choice and locale-aware formatting of local times."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from babel.dates import format_interval
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale, get_timezone

LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}


def select_locale() -> str:
    """?lang= wins (and is remembered), then the remembered choice, then the browser; else fi."""
    supported = current_app.config["SUPPORTED_LANGUAGES"]
    if not has_request_context():  # CLI and workers speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if chosen in supported:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in supported:
        return session["lang"]
    return request.accept_languages.best_match(supported) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def current_language() -> str:
    return str(get_locale() or "fi")


def event_time_range(start: datetime, end: datetime) -> str:
    """'ti 15.12.2026 klo 9.00–11.00' in the reader's language, in the network's time zone."""
    return format_interval(
        start, end, "yMMMdEHm", tzinfo=get_timezone(), locale=get_locale()
    )


def language_switch_url(language: str) -> str:
    args = request.args.to_dict(flat=False)
    args["lang"] = [language]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["time_range"] = lambda event: event_time_range(
        event.starts_at, event.ends_at
    )
    app.jinja_env.globals.update(
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
        language_switch_url=language_switch_url,
    )
