"""Series made from the events' forms: the new-event form's "Repeats" and the duplicate form's
repeated copies (events.repeats, which cannot import this feature). Connected when this module
is imported, which series.admin does, so in every app that has the series' pages.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..accounts.models import User
from ..events import repeats
from ..events.operations import EventDetails, copy_measures
from .models import Frequency
from .operations import create_series, rule_for
from .recurrence import MAX_DATES, FirstDateOffRule, RuleError, TooManyDates


def refusal(error: RuleError, repetition: repeats.Repetition) -> repeats.RepetitionRefused:
    """What the form says, and at which field, about a rule that makes no series."""
    end = "ends_on" if repetition.until is not None else "number_of_dates"
    if isinstance(error, TooManyDates):
        return repeats.RepetitionRefused(
            end, _("A series has at most %(max)d dates: end it sooner.", max=MAX_DATES)
        )
    if isinstance(error, FirstDateOffRule) and repetition.frequency == repeats.WEEKLY:
        return repeats.RepetitionRefused(
            "weekdays", _("The first date must fall on one of the days chosen.")
        )
    return repeats.RepetitionRefused(
        "repeats", _("These choices make no series: check how often it repeats and its end.")
    )


def make_series(
    details: EventDetails,
    repetition: repeats.Repetition,
    creator: User,
    publish: bool,
    measures_of: int | None,
) -> repeats.MadeSeries:
    rule = rule_for(
        details,
        frequency=Frequency(repetition.frequency),
        interval=repetition.every,
        weekdays=repetition.weekdays,
        week_of_month=repetition.week_of_month,
        until=repetition.until,
        count=repetition.count,
    )
    try:
        series = create_series(details, rule, creator, publish=publish)
    except RuleError as error:
        raise refusal(error, repetition) from error
    if measures_of is not None:
        copy_measures(measures_of, [event.id for event in series.dates])
    return repeats.MadeSeries(
        url=url_for("series_admin.detail", series_id=series.id), dates=len(series.dates)
    )


repeats.make_series_with(make_series)
