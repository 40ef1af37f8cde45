"""Taking places at several dates of a series at once, and leaving the rest of a series.

Every chosen date is locked before anything is counted, all of them in ascending id order
(`db.locking.lock_events`, the order every change of several events takes), and each date is
then decided exactly as a registration for one event is (`registrations.operations.take_place`):
the same capacity, the same waiting list, one place per address and date. The person hears of it
once, by series.signals, not once per date. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..db.locking import lock_events
from ..db.types import utcnow
from ..email_addresses import canonical_email
from ..events.models import Event, RegistrationState
from ..extensions import db
from ..registrations.calendar_copy import offset_after_giving_up
from ..registrations.cancellation import give_up_place
from ..registrations.models import Registration, RegistrationStatus
from ..registrations.operations import ParticipantDetails, RegistrationOutcome, take_place
from ..registrations.seats import promote_from_waitlist
from ..registrations.series_places import places_in_series
from ..registrations.signals import registration_repeated
from .models import Series
from .queries import public_dates, upcoming
from .signals import series_left, series_registered


class NotADateOfTheSeries(LookupError):
    """A chosen id is no public date of the series (another event's, a draft's, no event's)."""


@dataclass(frozen=True)
class SeriesOutcome:
    series: Series
    #: One per chosen date whose registration was open, soonest first: a new place
    #: (`created`), or the one the address already held there, kept as it was.
    places: list[RegistrationOutcome]
    #: Chosen dates whose registration was not open (not yet, closed, cancelled, over).
    closed: list[Event]

    @property
    def created(self) -> list[Registration]:
        return [place.registration for place in self.places if place.created]

    @property
    def held(self) -> list[Registration]:
        return [place.registration for place in self.places if not place.created]

    @property
    def link_place(self) -> Registration | None:
        """The new place whose self-service link the confirmation shows: the latest date's,
        the link that keeps working longest (each page lists every date of the series)."""
        return self.created[-1] if self.created else None


def register_for_series(
    series_id: int,
    details: ParticipantDetails,
    event_ids: list[int] | None = None,
    now: datetime | None = None,
) -> SeriesOutcome:
    """A place for `details` at each chosen date (None: every upcoming date) whose
    registration is open: confirmed while the date has seats, else on its waiting list. A
    date where the address already has a place keeps it. The new places of None are marked
    `whole_series`: dates added at the end later give them a place too (series.followers).

    series_registered goes once, with the new places (no registration_created per date);
    when nothing is new but a place was already held, registration_repeated goes for the
    latest held place, as on one event's form (the owner of the address gets their link).
    Raises InvalidEmail before any lock, LookupError for an unknown series and
    NotADateOfTheSeries for a chosen id that is not one of its public dates.
    """
    # Refused before the locks: a bad address must not hold up anyone else's registration.
    details = replace(details, email=canonical_email(details.email))
    series = db.session.get(Series, series_id)
    if series is None:
        raise LookupError(series_id)
    dates = public_dates(series_id)
    if event_ids is None:
        chosen = {event.id for event in upcoming(dates, now or utcnow())}
    else:
        chosen = set(event_ids)
        if unknown := chosen - {event.id for event in dates}:
            raise NotADateOfTheSeries(sorted(unknown))

    # Everything below is decided again under the locks: a date may have been cancelled,
    # closed or filled since it was read. The time is taken under them too, as `register`
    # takes it: waiting-list order is the order in which people got the locks.
    locked = sorted(lock_events(chosen), key=lambda event: (event.starts_at, event.id))
    now = now or utcnow()
    places, closed = [], []
    for event in locked:
        if event.series_id != series_id or event.registration_state(now) is not (
            RegistrationState.OPEN
        ):
            closed.append(event)
        else:
            places.append(take_place(event, details, now))
    outcome = SeriesOutcome(series, places, closed)
    if event_ids is None:  # the whole series: the dates added at its end later too
        for place in outcome.created:
            place.whole_series = True
    if outcome.created:
        series_registered.send(series, registrations=outcome.created)
    elif outcome.held:
        registration_repeated.send(outcome.held[-1])
    return outcome


def leave_series(registration_id: int, now: datetime | None = None) -> list[Registration]:
    """Cancel every place the person of `registration_id` holds (confirmed or waiting) at the
    dates of its series that have not started; returns them, soonest first. Each freed seat
    goes to that date's waiting list by the usual rule. series_left goes once with the
    cancelled places (no registration_cancelled per date); leaving again changes nothing and
    sends nothing. Raises LookupError for an unknown registration or one of no series."""
    now = now or utcnow()
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event.series_id is None:
        raise LookupError(registration_id)
    series = registration.event.series
    leaving = [
        place
        for place in places_in_series(registration)
        if place.status is not RegistrationStatus.CANCELLED and place.event.starts_at > now
    ]
    cancelled = []
    was_confirmed: dict[int, bool] = {}
    for event in lock_events(place.event_id for place in leaving):
        place = next(place for place in leaving if place.event_id == event.id)
        db.session.refresh(place)  # another request may have changed it before the lock
        if place.status is RegistrationStatus.CANCELLED or event.starts_at <= now:
            continue
        was_confirmed[place.id] = give_up_place(place, now)
        if was_confirmed[place.id]:
            promote_from_waitlist(event, now)
        cancelled.append(place)
    cancelled.sort(key=lambda place: (place.event.starts_at, place.event_id))
    if cancelled:
        # One change of the person's places: their one CANCEL outranks what they were sent.
        offset_after_giving_up(registration.email, registration.event)
        series_left.send(series, registrations=cancelled, was_confirmed=was_confirmed)
    return cancelled
