"""Moving the end of a series: dates added at the end, or removed from it.

The rule's end moves (a last day or a number of dates, as the coordinator says), so calendars
get one update of the series (series_changed). New dates are made like the others: the series'
time and shared details, and from the last date that is not cancelled everything else (places,
registration window, municipalities, partners, coordinators, measures), in its state (drafts
in a draft series, published in a published one). Of the dates removed, drafts are deleted and
published dates cancelled with a reason, since they may be in calendars; dates that have been
held are never removed. The cancelled dates go with series_changed (`removed`): calendars that
hold them one by one, not through the rule, need a CANCEL of each. People registered for the
whole series get a place at each added date (series.followers), told by the same update
(`added`, `given`). The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from .. import audit
from ..accounts.models import User
from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..events.operations import EventDetails, cancel_event, copy_measures, delete_draft, moved_by
from ..extensions import db
from ..local_time import local_to_utc, utc_to_local, zone
from ..registrations.models import Registration
from .changes import locked_series
from .followers import give_new_dates
from .models import Series
from .operations import AUDIT_FIELDS, SHARED_FIELDS, add_date
from .recurrence import Rule
from .signals import series_changed


class EndRefused(ValueError):
    """The new end cannot be: `why` is one of the reasons below."""

    SAME_DATES = "same_dates"
    DATES_HELD = "dates_held"
    REASON_NEEDED = "reason_needed"

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass
class EndChange:
    added: list[Event] = field(default_factory=list)
    #: The places the added dates gave to people registered for the whole series, by email.
    given: dict[str, list[Registration]] = field(default_factory=dict)
    deleted: int = 0
    cancelled: list[Event] = field(default_factory=list)


def change_end(
    series_id: int,
    *,
    until: date | None = None,
    count: int | None = None,
    reason: str = "",
    creator: User,
    now: datetime | None = None,
) -> EndChange:
    """End the series on `until` or after `count` dates. Raises series.recurrence.RuleError for
    an end that makes no series (more than MAX_DATES dates, none at all) and EndRefused."""
    series = locked_series(series_id)
    rule = replace(Rule.of(series), until=until, count=count)
    rule.check()
    starts = rule.starts(zone())
    last = max(event.recurrence_id for event in series.dates)
    before = audit.snapshot(series, AUDIT_FIELDS)
    if starts[-1] > last:
        added = _add_dates(series, [s for s in starts if s > last], creator)
        change = EndChange(added=added, given=give_new_dates(series, added, now or utcnow()))
        action = "series.extended"
    elif starts[-1] < last:
        change = _remove_dates(series, starts[-1], reason.strip(), now or utcnow())
        action = "series.shortened"
    else:
        raise EndRefused(EndRefused.SAME_DATES)
    series.ends_on, series.number_of_dates = until, count
    series.revision += 1
    audit.record(action, series, before=before, after=audit.snapshot(series, AUDIT_FIELDS))
    series_changed.send(series, removed=change.cancelled, added=change.added, given=change.given)
    return change


def _model_date(series: Series) -> Event:
    """The date new ones are made like: the last one that is not cancelled, if any."""
    standing = [event for event in series.dates if event.status is not EventStatus.CANCELLED]
    return (standing or series.dates)[-1]


def _add_dates(series: Series, starts: list[datetime], creator: User) -> list[Event]:
    model = _model_date(series)
    # The model's details at its place in the rule: a date moved on its own is an exception,
    # the new dates are not.
    at_rule = moved_by(
        EventDetails.of(model), utc_to_local(model.recurrence_id) - utc_to_local(model.starts_at)
    )
    start = utc_to_local(at_rule.starts_at)
    details = replace(
        at_rule,
        ends_at=local_to_utc(start + timedelta(minutes=series.minutes)),
        **{name: getattr(series, name) for name in SHARED_FIELDS},
    )
    publish = any(event.status is EventStatus.PUBLISHED for event in series.dates)
    added = [add_date(series, details, moment, creator, publish=publish) for moment in starts]
    copy_measures(model.id, [event.id for event in added])
    return added


def _remove_dates(series: Series, last_start: datetime, reason: str, now: datetime) -> EndChange:
    gone = [event for event in series.dates if event.recurrence_id > last_start]
    if any(event.status is not EventStatus.CANCELLED and event.starts_at <= now for event in gone):
        raise EndRefused(EndRefused.DATES_HELD)
    published = [event for event in gone if event.status is EventStatus.PUBLISHED]
    if published and not reason:
        raise EndRefused(EndRefused.REASON_NEEDED)
    change = EndChange()
    for event in gone:
        if event.status is EventStatus.DRAFT:
            delete_draft(event.id)
            change.deleted += 1
    # Not a CANCEL per date: series_changed (`removed`) tells each person once.
    change.cancelled = [cancel_event(event.id, reason, announce=False) for event in published]
    db.session.expire(series, ["dates"])
    return change
