"""What coordinators do to a series as a whole. Each function records its audit entries in the
same session; the caller commits.

A series' dates are made by its rule (series.recurrence) from what the new-event form says about
the first date: every date gets the same details, at its own start, with the registration window
at the same distance from its start as the first date's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .. import audit
from ..accounts.models import User
from ..events.models import Event
from ..events.operations import SHIFTED_FIELDS as MOVED_FIELDS
from ..events.operations import EventDetails, create_event
from ..extensions import db
from ..local_time import local_to_utc, utc_to_local, zone
from ..translated import EVENT_TRANSLATIONS
from .models import Series
from .recurrence import Rule

#: What the audit log keeps of a series.
AUDIT_FIELDS = (
    "frequency",
    "every",
    "weekdays",
    "week_of_month",
    "first_date",
    "start_time",
    "minutes",
    "ends_on",
    "number_of_dates",
    "title",
    "description",
    *EVENT_TRANSLATIONS,
    "venue",
    "online_url",
    "revision",
)

#: What a series keeps of its dates' details: what a calendar shows of the whole series.
SHARED_FIELDS = ("title", "description", *EVENT_TRANSLATIONS, "venue", "online_url")


def rule_for(details: EventDetails, **rule) -> Rule:
    """The rule whose first date is the form's first date, on the wall clock."""
    first = details.starts_at.astimezone(zone())
    return Rule(first_date=first.date(), start_time=first.time().replace(tzinfo=None), **rule)


def create_series(
    details: EventDetails, rule: Rule, creator: User | None, *, publish: bool = False
) -> Series:
    """A series and all its dates, as drafts unless `publish`. `details` are those of the
    first date; raises series.recurrence.RuleError for a rule that makes no series. Whoever
    creates it runs the dates unless others are named (nobody, for the demo's)."""
    rule.check()
    length = details.ends_at - details.starts_at
    series = Series(
        frequency=rule.frequency,
        every=rule.interval,
        weekdays=",".join(rule.weekdays),
        week_of_month=rule.week_of_month,
        first_date=rule.first_date,
        start_time=rule.start_time,
        minutes=int(length.total_seconds() // 60),
        ends_on=rule.until,
        number_of_dates=rule.count,
        **{name: getattr(details, name) for name in SHARED_FIELDS},
    )
    db.session.add(series)
    db.session.flush()
    for start in rule.starts(zone()):
        add_date(series, details, start, creator, publish=publish)
    audit.record("series.created", series, after=audit.snapshot(series, AUDIT_FIELDS))
    return series


def add_date(
    series: Series, details: EventDetails, start: datetime, creator: User | None, *, publish: bool
) -> Event:
    """One date of `series` at `start`, with the times of `details` moved from their first
    date to it on the wall clock (a window that closes at 8:00 on a winter date closes at 8:00
    on a summer date too)."""
    shift = utc_to_local(start) - utc_to_local(details.starts_at)
    moved = {
        name: local_to_utc(utc_to_local(getattr(details, name)) + shift)
        for name in MOVED_FIELDS
        if getattr(details, name) is not None
    }
    return create_event(
        replace(details, **moved),
        creator,
        publish=publish,
        series=series,  # the relationship, so that series.dates holds the new date at once
        recurrence_id=start,
    )
