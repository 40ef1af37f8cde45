"""A series' rule in words, in the reader's language: "Joka toinen torstai klo 9.00–9.30".

Weekday names come from CLDR (Babel) in their stand-alone form, which is what follows "joka" in
Finnish and "varje" in Swedish; the times as the event pages show them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_interval, get_day_names
from babel.lists import format_list
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _

from .models import Frequency, Series
from .recurrence import WEEKDAY_CODES


def _ordinal(week_of_month: int) -> str:
    return {
        1: pgettext("week of month", "first"),
        2: pgettext("week of month", "second"),
        3: pgettext("week of month", "third"),
        4: pgettext("week of month", "fourth"),
        -1: pgettext("week of month", "last"),
    }[week_of_month]


def _days(series: Series) -> str:
    names = get_day_names("wide", "stand-alone", locale=get_locale())
    return format_list(
        [names[WEEKDAY_CODES.index(code)] for code in series.weekday_codes], locale=get_locale()
    )


def _weekly(series: Series, days: str) -> str:
    if series.every == 1:
        return _("Every %(days)s", days=days)
    if series.every == 2:
        return _("Every other %(days)s", days=days)
    return _("Every %(num)d weeks (%(days)s)", num=series.every, days=days)


def _monthly(series: Series, days: str) -> str:
    nth = _ordinal(series.week_of_month or 1)
    if series.every == 1:
        return _("The %(nth)s %(day)s of every month", nth=nth, day=days)
    if series.every == 2:
        return _("The %(nth)s %(day)s of every other month", nth=nth, day=days)
    return _("The %(nth)s %(day)s of every %(num)d months", nth=nth, day=days, num=series.every)


def times_of(series: Series) -> str:
    """The dates' wall-clock times: "9.00–9.30"."""
    start = datetime.combine(series.first_date, series.start_time)
    end = start + timedelta(minutes=series.minutes)
    return format_interval(start, end, "Hm", locale=get_locale())


def rule_in_words(series: Series) -> str:
    days = _days(series)
    rule = (
        _monthly(series, days) if series.frequency is Frequency.MONTHLY else _weekly(series, days)
    )
    return _("%(rule)s at %(times)s", rule=rule, times=times_of(series))
