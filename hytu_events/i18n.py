"""Language choice, and the one way the app writes dates, times and numbers for people.

Pages (the Jinja filters below), emails and charts write a moment as an event's start is
written ("ke 23.12.2026 9.00", "ons 23 dec. 2026 09:00", "Wed, Dec 23, 2026 09:00"), a day, a
month and a number in the reader's language (Babel's CLDR data) and on the network's clock
(HYTU_TIMEZONE). What machines read keeps machine formats: `machine_time` for `<time
datetime>`; downloads (spreadsheets.py) write ISO 8601 dates and local times, and the plan's
files write numbers as `plan import` reads them back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from urllib.parse import urlencode

from babel.dates import format_interval, format_skeleton, get_day_names
from babel.lists import format_list
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_decimal, format_percent, get_locale, get_timezone

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


#: A day with its weekday, and a time of day: together, how a moment is written.
WEEKDAY_AND_DAY, TIME_OF_DAY = "yMMMEd", "Hm"


def _local(value: datetime) -> datetime:
    return value.astimezone(get_timezone())


def moment(value: datetime) -> str:
    """'ke 23.12.2026 9.00' (fi), 'ons 23 dec. 2026 09:00' (sv), 'Wed, Dec 23, 2026 09:00' (en):
    written as the start of an event is, on the network's clock."""
    local, locale = _local(value), get_locale()
    day_part = format_skeleton(WEEKDAY_AND_DAY, local, locale=locale)
    return f"{day_part} {format_skeleton(TIME_OF_DAY, local, locale=locale)}"


def event_time_range(start: datetime, end: datetime) -> str:
    """'ti 15.12.2026 9.00–11.00' in the reader's language and the network's time zone.

    CLDR has no single skeleton for a date with a time range, so the day and the times are
    formatted apart; an event over several days names both days (each as `moment` does).
    """
    zone, locale = get_timezone(), get_locale()
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_start.date() != local_end.date():
        return f"{moment(start)} – {moment(end)}"
    day_part = format_skeleton(WEEKDAY_AND_DAY, local_start, locale=locale)
    times = format_interval(local_start, local_end, TIME_OF_DAY, tzinfo=zone, locale=locale)
    return f"{day_part} {times}"


def day(value: date | datetime, *, weekday: bool = False) -> str:
    """'23.12.2026' (fi), '23 dec. 2026' (sv), 'Dec 23, 2026' (en); a moment by its local day.
    With its `weekday` as a moment names it: 'ke 23.12.2026', 'ons 23 dec. 2026'."""
    if isinstance(value, datetime):
        value = _local(value).date()
    return format_skeleton(WEEKDAY_AND_DAY if weekday else "yMMMd", value, locale=get_locale())


def month(value: date) -> str:
    """The month of a day: 'loka 2026' (fi), 'okt. 2026' (sv), 'Oct 2026' (en)."""
    return format_skeleton("yMMM", value, locale=get_locale())


def clock(value: time) -> str:
    """A wall-clock time: '9.00' (fi), '09:00' (sv, en)."""
    return format_skeleton(
        TIME_OF_DAY, datetime.combine(date(2000, 1, 3), value), locale=get_locale()
    )


def number(value: float | int, decimals: int = 2) -> str:
    """'12 345,5' (fi, sv), '12,345.5' (en): at most `decimals` decimals, none for whole ones."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern)


def percent(value: float) -> str:
    """A share of 100 as the language writes it: '85 %' (fi, sv), '85%' (en)."""
    return format_percent(value / 100)


def machine_time(value: datetime) -> str:
    """A moment for `<time datetime>`, in UTC to the second: '2026-12-10T07:00:00Z'."""
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


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
    app.jinja_env.filters.update(
        moment=moment,
        day=day,
        month=month,
        number=number,
        percent=percent,
        machine_time=machine_time,
        time_range=lambda event: event_time_range(event.starts_at, event.ends_at),
    )
    app.jinja_env.globals.update(
        percent=percent,  # a value writer for charts (templates/_charts.html)
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
        language_switch_url=language_switch_url,
    )
