"""Changing several dates of a series at once, with the choices calendar users know: all its
dates, or this date and the following ones (the series is split in two); and publishing or
deleting a series as a whole. Changing one date only is the event's own edit
(events.operations.update_event, cancel_event): the date becomes an exception and its
recurrence_id stays. Dates added or removed at the end are series.ends.

Each function locks the series row first (two coordinators changing one series wait for each
other), records its audit entries in the same session, and sends series_changed once for each
series whose calendar changed (its rule, its shared details, or what a date shows), never
events' event_changed per date: calendars get one update of the series. The revision (the
master's SEQUENCE) follows the rule of events.operations: it rises for a significant change
(the rule, the time or length, the place, a date's own time or place), not for a new title or
description alone. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .. import audit
from ..db.locking import lock_for_update
from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..events.operations import (
    SHOWN_FIELDS,
    CapacityBelowConfirmed,
    EventDetails,
    delete_draft,
    moved_by,
    publish_event,
    update_event,
)
from ..extensions import db
from ..local_time import local_to_utc, utc_to_local
from ..translated import EVENT_TRANSLATIONS
from .models import Series
from .operations import AUDIT_FIELDS, SHARED_FIELDS
from .recurrence import Rule
from .signals import FormerInstance, series_changed

#: What calendars show of the series as a whole (its rule and shared details) ...
CALENDAR_FIELDS = tuple(name for name in AUDIT_FIELDS if name != "revision")
#: ... and the changes among them that raise its revision: all but a new title or description.
REVISION_FIELDS = tuple(
    name for name in CALENDAR_FIELDS if name not in ("title", "description", *EVENT_TRANSLATIONS)
)


class NotOnItsDay(ValueError):
    """A change to several dates keeps each on its day in the series: only one date at a time
    moves to another day. `day` is the edited date's own day."""

    def __init__(self, day):
        super().__init__(day)
        self.day = day


class CapacityRefused(ValueError):
    """One of the dates has more people confirmed than the new number of places."""

    def __init__(self, event: Event, confirmed: int):
        super().__init__(event.id, confirmed)
        self.event = event
        self.confirmed = confirmed


class SeriesStateError(Exception):
    """The dates are not in a state that allows this (deleting a series with published
    dates, publishing one without drafts)."""


def locked_series(series_id: int) -> Series:
    series = lock_for_update(Series, series_id)
    if series is None:
        raise LookupError(series_id)
    return series


def date_of(series: Series, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.series_id != series.id:
        raise LookupError(event_id)
    return event


def rule_day(event: Event):
    """The day the series' rule gave the date, on the wall clock (kept when it is moved)."""
    return utc_to_local(event.recurrence_id).date()


@dataclass(frozen=True)
class DatesChanged:
    """What `_apply_to_dates` did: the new time of day and length, and whether a published
    date now shows something else (`shown`), its time or place among it (`revised`)."""

    start: time
    minutes: int
    shown: bool
    revised: bool


def _shows(event: Event) -> tuple:
    return tuple(getattr(event, name) for name in sorted(SHOWN_FIELDS)), event.revision


def _apply_to_dates(
    dates: list[Event], edited: Event, details: EventDetails, now: datetime
) -> DatesChanged:
    """Give `dates` the details the form sent for `edited`, each on its own day: the start's
    time of day, the length and the registration window's distance from the start on the wall
    clock, and everything else as it is. Dates that have ended or are cancelled stay as they
    were. Every date's recurrence id follows the new time of day, so that calendars still find
    each date in the rule."""
    start = utc_to_local(details.starts_at)
    if start.date() != rule_day(edited):
        raise NotOnItsDay(rule_day(edited))
    minutes = int((utc_to_local(details.ends_at) - start).total_seconds() // 60)
    shown = revised = False
    for event in dates:
        day_start = datetime.combine(rule_day(event), start.time())
        if event.status is not EventStatus.CANCELLED and event.ends_at > now:
            before = _shows(event)
            try:
                update_event(event.id, moved_by(details, day_start - start), announce=False)
            except CapacityBelowConfirmed as error:
                raise CapacityRefused(event, error.confirmed) from error
            if event.status is EventStatus.PUBLISHED and _shows(event) != before:
                shown = True
                revised = revised or event.revision != before[1]
        event.recurrence_id = local_to_utc(day_start)
    db.session.flush()
    return DatesChanged(start.time(), minutes, shown, revised)


def _set_calendar_details(series: Series, details: EventDetails, start: time, minutes: int):
    for name in SHARED_FIELDS:
        setattr(series, name, getattr(details, name))
    series.start_time, series.minutes = start, minutes


def edit_all(series_id: int, event_id: int, details: EventDetails, now=None) -> Series:
    """Every date that has not ended gets `details`, the form of date `event_id`; dates moved
    on their own go back to the series' time. Raises NotOnItsDay, CapacityRefused."""
    series = locked_series(series_id)
    edited = date_of(series, event_id)
    before = audit.snapshot(series, AUDIT_FIELDS)
    dates = _apply_to_dates(list(series.dates), edited, details, now or utcnow())
    _set_calendar_details(series, details, dates.start, dates.minutes)
    now_shown = audit.snapshot(series, CALENDAR_FIELDS)
    changed = {name for name in CALENDAR_FIELDS if now_shown[name] != before[name]}
    # A date's own time or place (one moved on its own, back at the series' time) changes
    # what the master's overrides say: significant for the master too.
    if dates.revised or changed & set(REVISION_FIELDS):
        series.revision += 1
    if dates.shown or changed:
        series_changed.send(series)
    after = audit.snapshot(series, AUDIT_FIELDS)
    if after != before:
        audit.record("series.updated", series, before=before, after=after)
    return series


def edit_following(series_id: int, event_id: int, details: EventDetails, now=None) -> Series:
    """Date `event_id` and the dates after it get `details` as in `edit_all`, as a series of
    their own: a new Series (a new calendar UID) with the rule from that date on, while the
    old series ends before it. Returns the new series (the same one when the date is its
    first: then this is `edit_all`). Raises NotOnItsDay, CapacityRefused."""
    series = locked_series(series_id)
    edited = date_of(series, event_id)
    following = [event for event in series.dates if event.recurrence_id >= edited.recurrence_id]
    if len(following) == len(series.dates):
        return edit_all(series_id, event_id, details, now)
    before = audit.snapshot(series, AUDIT_FIELDS)
    # How calendars hold the dates that leave: mail takes them out of those that hold them
    # one by one (series.signals.series_changed).
    former = {
        event.id: FormerInstance(event.recurrence_id, event.starts_at, event.ends_at)
        for event in following
    }
    first = utc_to_local(edited.recurrence_id)
    passed = sum(start < first for start in Rule.of(series).local_starts())
    rest = Series(
        **{name: getattr(series, name) for name in ("frequency", "every", "weekdays")},
        week_of_month=series.week_of_month,
        first_date=first.date(),
        start_time=series.start_time,
        minutes=series.minutes,
        ends_on=series.ends_on,
        number_of_dates=None if series.number_of_dates is None else series.number_of_dates - passed,
        **{name: getattr(series, name) for name in SHARED_FIELDS},
    )
    if series.number_of_dates is None:
        series.ends_on = first.date() - timedelta(days=1)
    else:
        series.number_of_dates = passed
    series.revision += 1
    db.session.add(rest)
    for event in following:
        event.series = rest
    db.session.flush()
    dates = _apply_to_dates(following, edited, details, now or utcnow())
    _set_calendar_details(rest, details, dates.start, dates.minutes)
    Rule.of(rest).check()  # the rule from a date of the rule on: its dates are those moved
    audit.record(
        "series.updated", series, before=before, after=audit.snapshot(series, AUDIT_FIELDS)
    )
    audit.record(
        "series.split",
        rest,
        before={"split_from": series.id},
        after=audit.snapshot(rest, AUDIT_FIELDS),
    )
    series_changed.send(series)
    series_changed.send(rest, split_from=series, former=former)
    return rest


def publish_drafts(series_id: int) -> list[Event]:
    """Publish every draft date at once. Raises SeriesStateError when there is none."""
    series = locked_series(series_id)
    drafts = [event for event in series.dates if event.status is EventStatus.DRAFT]
    if not drafts:
        raise SeriesStateError("no drafts")
    for event in drafts:
        publish_event(event.id)
    audit.record("series.published", series, after={"dates": len(drafts)})
    return drafts


def delete_series(series_id: int) -> None:
    """A series whose dates are all drafts goes with them: none has been in a calendar. Raises
    SeriesStateError otherwise (cancel the dates instead)."""
    series = locked_series(series_id)
    if any(event.status is not EventStatus.DRAFT for event in series.dates):
        raise SeriesStateError("not all drafts")
    for event in list(series.dates):
        delete_draft(event.id)
    # The entry outlives the row: it names the series by id.
    audit.record("series.deleted", series, before=audit.snapshot(series, AUDIT_FIELDS))
    db.session.expire(series, ["dates"])
    db.session.delete(series)
    db.session.flush()
