"""Language choice and locale-aware formatting of local times."""

from __future__ import annotations

from datetime import date, datetime, time
from urllib.parse import urlencode

from babel.dates import format_interval, format_skeleton, get_day_names
from babel.lists import format_list
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale, get_timezone

LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}


#: Blueprints whose answers depend on the request alone (the API: one URL and its headers give
#: one answer, whoever asks), so their language is never read from or kept in the session.
_REQUEST_ONLY = "hytu_request_only_language"


def language_from_request_only(app: Flask, blueprint: str) -> None:
    app.extensions.setdefault(_REQUEST_ONLY, set()).add(blueprint)


def select_locale() -> str:
    """?lang= wins (and is remembered), then the remembered choice, then the browser; else fi."""
    supported = current_app.config["SUPPORTED_LANGUAGES"]
    if not has_request_context():  # CLI and workers speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if request.blueprint in current_app.extensions.get(_REQUEST_ONLY, ()):
        if chosen in supported:
            return chosen
        best = request.accept_languages.best_match(supported)
        return best or current_app.config["BABEL_DEFAULT_LOCALE"]
    if chosen in supported:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in supported:
        return session["lang"]
    return (
        request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    return str(get_locale() or "fi")


def event_time_range(start: datetime, end: datetime) -> str:
    """'ti 15.12.2026 9.00–11.00' in the reader's language and the network's time zone.

    CLDR has no single skeleton for a date with a time range, so the day and the times are
    formatted apart; an event over several days names both days.
    """
    zone, locale = get_timezone(), get_locale()
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = format_skeleton("yMMMEd", local_start, locale=locale)
    if local_start.date() == local_end.date():
        return f"{day} {format_interval(local_start, local_end, 'Hm', tzinfo=zone, locale=locale)}"
    end_day = format_skeleton("yMMMEd", local_end, locale=locale)
    start_time = format_skeleton("Hm", local_start, locale=locale)
    end_time = format_skeleton("Hm", local_end, locale=locale)
    return f"{day} {start_time} – {end_day} {end_time}"


#: How a range of days is written: Finnish readers expect "11.3.–22.4.2027"; Swedish numeric
#: dates come out as ISO ("2027-03-11–04-22"), so Swedish and English name the month.
DAY_RANGE_SKELETONS = {"fi": "yMd"}


def day_range(first: date, last: date) -> str:
    """'11.3.–22.4.2027' (fi), '11 mars–22 apr. 2027' (sv), 'Mar 11 – Apr 22, 2027' (en)."""
    locale = get_locale()
    skeleton = DAY_RANGE_SKELETONS.get(str(locale), "yMMMd")
    return format_interval(first, last, skeleton, locale=locale)


def clock_range(start: time, end: time) -> str:
    """Two wall-clock times: '9.00–9.30' (fi), '09:00–09:30' (sv), '09:00 – 09:30' (en)."""
    return format_interval(start, end, "Hm", locale=get_locale())


def short_day(day: date) -> str:
    """A day without its year: '11.3.' (fi), '11 mars' (sv), 'Mar 11' (en)."""
    return format_skeleton("MMMd", day, locale=get_locale())


def word_list(words: list[str]) -> str:
    """'maanantai ja torstai', 'måndag och torsdag', 'Monday and Thursday'."""
    return format_list(words, locale=get_locale())


def weekday_names() -> list[str]:
    """The days of the week, Monday first, as the reader's language names them on their own
    ('torstai', 'torsdag', 'Thursday')."""
    names = get_day_names("wide", "stand-alone", locale=get_locale())
    return [names[day] for day in range(7)]


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
