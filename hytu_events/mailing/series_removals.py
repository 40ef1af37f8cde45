"""Taking dates out of the calendars that hold a series' dates one by one, when the series'
own update cannot: dates moved to a new series by a split, and dates removed from its end.

A calendar holds a person's dates of a series either through the master (RRULE; they had a
confirmed place at every published date) or as lone instances (RECURRENCE-ID, no master). The
series' update (series_notify.notify_series_changed) reaches the first kind as the master
with the rule's new end, which drops the dates by itself. The second kind gets, for the
same dates, nothing that removes them: here they get ONE CANCEL of exactly those instances
(calendar.recurring.instance_sequence: the change raised the series' revision, so the CANCEL
outranks every invitation they had). Whoever held the master gets no second message, unless
the series has no published date left to send its master with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ..events.models import Event, EventStatus
from ..extensions import db
from ..i18n import day, event_time_range
from ..registrations.models import Registration, RegistrationStatus
from ..series.models import Series
from ..series.signals import FormerInstance
from ..translated import in_reader_language
from .invitations import CANCEL, former_instances_cancel, series_invitation
from .models import MessageKind, OutboxMessage
from .series_notify import send_series_mail


@dataclass
class Holders:
    """The people with confirmed places at some dates, by email (their places there, by
    start), as their calendars hold those dates."""

    #: Through the master of the series, whose update removes the dates.
    by_master: dict[str, list[Registration]] = field(default_factory=dict)
    #: As lone instances, or a master that gets no update: they need a CANCEL.
    one_by_one: dict[str, list[Registration]] = field(default_factory=dict)


def _places(event_ids: Iterable[int], status: RegistrationStatus) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(Event, Registration.event_id == Event.id)
            .where(
                Registration.event_id.in_(list(event_ids)),
                Registration.status == status,
                Registration.erased_at.is_(None),
            )
            .order_by(Registration.email, Event.starts_at, Registration.id)
        )
    )


def _by_email(places: Iterable[Registration]) -> dict[str, list[Registration]]:
    found: dict[str, list[Registration]] = {}
    for place in places:
        found.setdefault(place.email, []).append(place)
    return found


def holders(dates: Sequence[Event], published_before: set[int], *, master_updated: bool) -> Holders:
    """Who holds `dates` (published before the change) and how. `published_before`: the ids
    of the series' published dates before it; whoever had a confirmed place at every one of
    them got the master. `master_updated`: the series' update still sends a master (it has a
    published date left)."""
    wanted = {date.id for date in dates}
    found = Holders()
    for email, places in _by_email(_places(published_before, RegistrationStatus.CONFIRMED)).items():
        here = [place for place in places if place.event_id in wanted]
        if not here:
            continue
        master = published_before <= {place.event_id for place in places}
        (found.by_master if master and master_updated else found.one_by_one)[email] = here
    return found


def _by_start(places: Iterable[Registration]) -> list[Registration]:
    return sorted(places, key=lambda place: (place.event.starts_at, place.id))


def _published(dates: Iterable[Event]) -> set[int]:
    return {date.id for date in dates if date.status is EventStatus.PUBLISHED}


def notify_dates_moved(
    old: Series, new: Series, former: Mapping[int, FormerInstance]
) -> list[OutboxMessage]:
    """A split moved the dates of `new` out of `old` (`former`: how `old`'s calendar held
    them): ONE CANCEL of those instances under `old`'s UID to each person who held them one by
    one. The invitation to `new` follows in its own update."""
    moved = [date for date in new.dates if date.status is EventStatus.PUBLISHED]
    found = holders(
        moved, _published([*old.dates, *new.dates]), master_updated=bool(_published(old.dates))
    )
    subject = _l("Dates moved to a series of their own: %(title)s", title=in_reader_language(old))
    first = min((slot.recurrence_id for slot in former.values()), default=None)
    text = LazyString(
        lambda: _(
            "The dates of the series from %(day)s on now form a series of their own. This "
            "message removes their earlier entries, listed below, from your calendar; the "
            "invitation to the new series comes in a separate message. Your places at these "
            "dates stay as they are.",
            day=day(first),
        )
    )
    return [
        send_series_mail(
            old,
            places,
            MessageKind.UPDATE,
            subject,
            text,
            dates=[former[place.event_id] for place in places],
            calendar=partial(former_instances_cancel, old, places, dict(former)),
            new_feed=False,
        )
        for places in found.one_by_one.values()
    ]


def _removed_lines(dates: Sequence[Event]) -> str:
    return "\n".join(event_time_range(date.starts_at, date.ends_at) for date in dates)


def _because(dates: Sequence[Event]) -> list[LazyString]:
    reason = next((date.cancellation_reason for date in dates if date.cancellation_reason), "")
    return [_l("Reason: %(reason)s", reason=reason.strip())] if reason.strip() else []


def notify_dates_removed(
    series: Series, removed: Sequence[Event]
) -> dict[str, list[str | LazyString]]:
    """Published dates were removed from the end of `series` (now cancelled): ONE CANCEL of
    exactly those instances to each person who held them one by one, a note without a
    calendar to each person only waiting for them. Returns what the series' update adds for
    those who held them through the master: which of their dates were removed, and why."""
    removed = sorted(removed, key=lambda date: date.recurrence_id)
    if not removed:
        return {}
    left = _published(series.dates)
    found = holders(removed, left | {date.id for date in removed}, master_updated=bool(left))
    subject = _l("Dates removed: %(title)s", title=in_reader_language(series))
    waiting = _by_email(_places([date.id for date in removed], RegistrationStatus.WAITLISTED))
    for email, places in found.one_by_one.items():
        send_series_mail(
            series,
            _by_start([*places, *waiting.pop(email, [])]),
            MessageKind.CANCELLATION,
            subject,
            _l(
                "These dates have been removed from the end of the series. They are removed "
                "from your calendar; your other dates stay as they are."
            ),
            *_because(removed),
            calendar=partial(series_invitation, series, places, CANCEL, instances_only=True),
            new_feed=False,
        )
    for places in waiting.values():  # only waiting: their places were in no calendar
        send_series_mail(
            series,
            places,
            MessageKind.CANCELLATION,
            subject,
            _l(
                "These dates you were waiting for have been removed from the end of the "
                "series. Your other dates stay as they are."
            ),
            *_because(removed),
            new_feed=False,
        )
    return {
        email: [
            _l("These dates have been removed from the end of the series:"),
            LazyString(_removed_lines, [place.event for place in places]),
            *_because(removed),
        ]
        for email, places in found.by_master.items()
    }
