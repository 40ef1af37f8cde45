"""A new event that repeats: what the new-event and duplicate forms say about it, handed to the
series feature, which makes the series.

Series (hytu_events.series) sit above events in the import order, so events cannot call them:
the series feature hands its maker over here when it is imported (series.admin, which
create_app imports to register its pages), as registrations hands over its seat counter
(events.occupancy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask_babel import lazy_pgettext

if TYPE_CHECKING:
    from ..accounts.models import User
    from .operations import EventDetails

WEEKLY, MONTHLY = "weekly", "monthly"
#: RFC 5545 weekday codes, Monday first (as series.recurrence has them).
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: Which such weekday of the month a monthly series falls on; -1 is the last one. The words
#: are those of "the second Thursday of the month", for the form and for the series' rule in
#: words alike.
WEEKS_OF_MONTH = {
    1: lazy_pgettext("week of month", "first"),
    2: lazy_pgettext("week of month", "second"),
    3: lazy_pgettext("week of month", "third"),
    4: lazy_pgettext("week of month", "fourth"),
    -1: lazy_pgettext("week of month", "last"),
}


def week_of_month(day: date) -> int:
    """1 to 5: which of its weekday in its month `day` is (the 11th is the second)."""
    return (day.day - 1) // 7 + 1


def is_last_of_month(day: date) -> bool:
    """Whether no later day of the month has the same weekday."""
    return (day + timedelta(weeks=1)).month != day.month


def falls_on(day: date, which: int) -> bool:
    """Whether `day` is the `which`-th (-1: last) of its weekday in its month."""
    return is_last_of_month(day) if which == -1 else week_of_month(day) == which


@dataclass(frozen=True)
class Repetition:
    """How the dates repeat from the first one, as the form says."""

    frequency: str
    every: int
    #: Weekly: the days of the week; monthly: the first date's.
    weekdays: tuple[str, ...]
    #: Monthly only (a key of WEEKS_OF_MONTH).
    week_of_month: int | None
    #: The last day a date may fall on, or how many dates: one of the two.
    until: date | None
    count: int | None


class RepetitionRefused(ValueError):
    """The rule makes no series: `message` (in the reader's language) belongs at the form's
    field `field`."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class MadeSeries:
    #: The series' page in the back office.
    url: str
    dates: int


#: (first date's details, repetition, creator, publish, event whose measures the dates take).
SeriesMaker = Callable[["EventDetails", Repetition, "User", bool, int | None], MadeSeries]

_makers: list[SeriesMaker] = []


def make_series_with(maker: SeriesMaker) -> None:
    _makers[:] = [maker]


def make_series(
    details: EventDetails,
    repetition: Repetition,
    creator: User,
    *,
    publish: bool = False,
    measures_of: int | None = None,
) -> MadeSeries:
    """The series whose first date has `details`; raises RepetitionRefused. The caller
    commits."""
    if not _makers:
        raise RuntimeError("Nothing makes series: hytu_events.series.admin is not imported.")
    return _makers[0](details, repetition, creator, publish, measures_of)
