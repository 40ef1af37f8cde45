"""A series' rule in words, in the reader's language: "Joka toinen torstai klo 9.00–9.30,
11.3.–22.4.2027", "Varannan torsdag kl. 09:00–09:30, 11 mars–22 apr. 2027"."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from ..events.repeats import WEEKDAY_CODES, WEEKS_OF_MONTH
from ..i18n import clock_range, day_range, weekday_names, word_list
from .models import Frequency, Series
from .recurrence import Rule


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _weekly(every: int, days: str) -> str:
    if every == 1:
        return _("Every %(weekdays)s", weekdays=days)
    if every == 2:
        return _("Every other %(weekdays)s", weekdays=days)
    return _("Every %(num)d weeks on %(weekdays)s", num=every, weekdays=days)


def _monthly(every: int, which: str, day: str) -> str:
    if every == 1:
        return _("The %(which)s %(weekday)s of every month", which=which, weekday=day)
    if every == 2:
        return _("The %(which)s %(weekday)s of every other month", which=which, weekday=day)
    return _(
        "The %(which)s %(weekday)s of every %(num)d months", which=which, weekday=day, num=every
    )


def days_in_words(series: Series) -> str:
    """'Every other Thursday', 'The last Monday of every month'."""
    names = weekday_names()
    days = [names[WEEKDAY_CODES.index(code)] for code in series.weekday_codes]
    if series.frequency is Frequency.MONTHLY:
        text = _monthly(series.every, str(WEEKS_OF_MONTH[series.week_of_month]), days[0])
    else:
        text = _weekly(series.every, word_list(days))
    return _capitalised(text)


def times_in_words(series: Series) -> str:
    """'9.00–9.30' on the wall clock."""
    start = datetime.combine(series.first_date, series.start_time)
    return clock_range(start.time(), (start + timedelta(minutes=series.minutes)).time())


def rule_in_words(series: Series) -> str:
    """The days, the time of day and the first and last day of the rule."""
    starts = Rule.of(series).local_starts()
    return _(
        "%(days)s at %(times)s, %(dates)s",
        days=days_in_words(series),
        times=times_in_words(series),
        dates=day_range(starts[0].date(), starts[-1].date()),
    )
