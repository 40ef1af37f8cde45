"""register_for_series and leave_series: places per date by the seat rules, one signal each."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from hytu_events.db import locking
from hytu_events.email_addresses import InvalidEmail
from hytu_events.events.models import EventStatus
from hytu_events.extensions import db
from hytu_events.models import Registration, RegistrationStatus
from hytu_events.registrations import signals as registration_signals
from hytu_events.registrations.cancellation import cancel_registration
from hytu_events.registrations.operations import register
from hytu_events.series import signals as series_signals
from hytu_events.series.registration import NotADateOfTheSeries, leave_series, register_for_series
from tests.helpers import make_event
from tests.registrations.people import details, register_person
from tests.series.registering import coming_series, places_of, take_series

C, W, X = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


@contextmanager
def sent(*signals):
    """Every send of `signals` inside the block, as (signal name, sender, keyword arguments)."""
    calls = []
    receivers = []
    for signal in signals:

        def receiver(sender, _signal=signal, **kwargs):
            calls.append((_signal.name, sender, kwargs))

        signal.connect(receiver)
        receivers.append((signal, receiver))
    try:
        yield calls
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver)


ALL_SIGNALS = (
    series_signals.series_registered,
    series_signals.series_left,
    registration_signals.registration_created,
    registration_signals.registration_repeated,
    registration_signals.registration_cancelled,
    registration_signals.registration_promoted,
)


def test_a_place_at_every_upcoming_date_and_one_signal(app, coordinator):
    series = coming_series(coordinator, count=3)
    with sent(*ALL_SIGNALS) as calls:
        outcome = take_series(series, 1)
    places = places_of("osallistuja1@example.fi")
    assert [p.event_id for p in places] == [e.id for e in series.dates]
    assert {p.status for p in places} == {C}
    assert outcome.created == places and outcome.held == [] and outcome.closed == []
    [(name, sender, kwargs)] = calls
    assert (name, sender) == ("series-registered", series)
    assert kwargs["registrations"] == places
    assert outcome.link_place == places[-1]  # the link that lasts longest


def test_only_the_dates_chosen(app, coordinator):
    series = coming_series(coordinator, count=4)
    first, _, third, _ = series.dates
    outcome = take_series(series, 1, [third.id, first.id])
    assert [p.event_id for p in places_of("osallistuja1@example.fi")] == [first.id, third.id]
    assert [p.registration.event_id for p in outcome.places] == [first.id, third.id]


def test_a_full_date_puts_the_person_on_its_waiting_list_only(app, coordinator):
    series = coming_series(coordinator, count=3, capacity=2)
    middle = series.dates[1]
    take_series(series, 1, [middle.id])
    take_series(series, 2, [middle.id])
    outcome = take_series(series, 3)
    statuses = [p.status for p in places_of("osallistuja3@example.fi")]
    assert statuses == [C, W, C]
    assert [p.waitlist_position for p in outcome.places] == [None, 1, None]
    assert take_series(series, 4).places[1].waitlist_position == 2


def test_a_date_already_held_keeps_its_place(app, coordinator):
    series = coming_series(coordinator, count=3, capacity=1)
    first, second, third = series.dates
    register_person(second, "Toinen", "toinen@example.fi")  # fills the second date
    held = register_person(first, "Osallistuja 1", "osallistuja1@example.fi")
    with sent(*ALL_SIGNALS) as calls:
        outcome = take_series(series, 1)
    assert outcome.held == [held]
    assert [r.event_id for r in outcome.created] == [second.id, third.id]
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [C, W, C]
    [(name, _, kwargs)] = calls
    assert name == "series-registered" and kwargs["registrations"] == outcome.created


def test_registering_again_creates_nothing_and_sends_the_link_once(app, coordinator):
    series = coming_series(coordinator, count=3)
    first = take_series(series, 1)
    with sent(*ALL_SIGNALS) as calls:
        again = take_series(series, 1, other="Kirjoitettu eri tavalla", org=None)
    assert again.created == [] and again.held == first.created
    assert len(places_of("osallistuja1@example.fi")) == 3
    assert [(name, sender) for name, sender, _ in calls] == [
        ("registration-repeated", first.created[-1])
    ]


def test_dates_not_open_are_reported_and_left_alone(app, coordinator):
    series = coming_series(coordinator, count=4)
    first, second, third, fourth = series.dates
    second.registration_closes_at = second.starts_at - timedelta(days=30)  # closed already
    third.status, third.cancellation_reason = EventStatus.CANCELLED, "Sairastuminen"
    fourth.registration_opens_at = fourth.starts_at - timedelta(days=1)  # not yet open
    db.session.commit()
    outcome = take_series(series, 1)
    assert outcome.closed == [second, third, fourth]
    assert [p.event_id for p in places_of("osallistuja1@example.fi")] == [first.id]


def test_dates_that_are_over_are_not_upcoming(app, coordinator):
    series = coming_series(coordinator, count=3)
    first, second, third = series.dates
    between = second.ends_at + timedelta(minutes=1)
    outcome = register_for_series(series.id, details("A", "a@example.fi"), now=between)
    assert [p.registration.event_id for p in outcome.places] == [third.id]
    assert outcome.closed == []
    chosen = register_for_series(series.id, details("B", "b@example.fi"), [first.id], now=between)
    assert chosen.places == [] and chosen.closed == [first]


def test_an_id_that_is_not_a_public_date_of_the_series_is_refused(app, coordinator):
    series = coming_series(coordinator, count=2)
    other = make_event()
    drafts = coming_series(coordinator, count=2, publish=False)
    person = details("A", "a@example.fi")
    for wrong in (other.id, drafts.dates[0].id, 2**31 - 1):
        with pytest.raises(NotADateOfTheSeries):
            register_for_series(series.id, person, [series.dates[0].id, wrong])
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    with pytest.raises(LookupError):
        register_for_series(2**31 - 1, details("A", "a@example.fi"))


def test_a_series_of_drafts_takes_nobody(app, coordinator):
    series = coming_series(coordinator, count=2, publish=False)
    outcome = take_series(series, 1)
    assert outcome.places == [] and places_of("osallistuja1@example.fi") == []


def test_a_bad_address_is_refused_before_any_lock(app, coordinator, monkeypatch):
    series = coming_series(coordinator, count=2)
    locked = []
    monkeypatch.setattr(locking, "lock_for_update", lambda model, row_id: locked.append(row_id))
    with pytest.raises(InvalidEmail):
        register_for_series(series.id, details("A", "ei osoite"))
    assert locked == []


def test_the_dates_are_locked_in_ascending_id_order_before_anything_is_counted(
    app, coordinator, monkeypatch
):
    """One order for every change of several events, whatever order the dates were chosen
    or fall in (a date moved before the others): two registrations cannot deadlock."""
    series = coming_series(coordinator, count=3)
    first, second, third = series.dates
    third.starts_at, third.ends_at = first.starts_at - timedelta(days=1), first.starts_at
    db.session.commit()
    real = locking.lock_for_update
    order: list[tuple[str, int]] = []

    def recording(model, row_id):
        order.append(("lock", row_id))
        return real(model, row_id)

    from hytu_events.registrations import operations

    counting = operations.free_seats

    def counted(event):
        order.append(("count", event.id))
        return counting(event)

    monkeypatch.setattr(locking, "lock_for_update", recording)
    monkeypatch.setattr(operations, "free_seats", counted)
    outcome = take_series(series, 1, [third.id, second.id, first.id])
    ids = sorted(e.id for e in series.dates)
    assert order[:3] == [("lock", i) for i in ids]
    assert sorted(order[3:]) == [("count", i) for i in ids]
    # The outcome reads in date order: the moved date first.
    assert [p.registration.event_id for p in outcome.places] == [third.id, first.id, second.id]


def test_one_date_from_its_own_page_works_as_for_any_event(app, coordinator):
    series = coming_series(coordinator, count=3)
    with sent(*ALL_SIGNALS) as calls:
        outcome = register(series.dates[1].id, details("A", "a@example.fi"))
        db.session.commit()
    assert outcome.created and outcome.registration.event_id == series.dates[1].id
    assert [name for name, _, _ in calls] == ["registration-created"]


def test_leaving_the_series_cancels_the_upcoming_places_and_fills_them_per_date(app, coordinator):
    series = coming_series(coordinator, count=3, capacity=1)
    first, second, third = series.dates
    take_series(series, 1)  # holds every date
    take_series(series, 2, [second.id, third.id])  # waits at the second and third
    take_series(series, 3, [third.id])  # waits behind them at the third
    places = places_of("osallistuja1@example.fi")
    with sent(*ALL_SIGNALS) as calls:
        left = leave_series(places[1].id)
        db.session.commit()
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [X, X, X]
    assert [p.event_id for p in left] == [first.id, second.id, third.id]
    assert [p.status for p in places_of("osallistuja2@example.fi")] == [C, C]
    assert [p.status for p in places_of("osallistuja3@example.fi")] == [W]
    names = [name for name, _, _ in calls]
    assert names == ["registration-promoted", "registration-promoted", "series-left"]
    assert calls[-1][1] == series and calls[-1][2]["registrations"] == left
    # Leaving again finds nothing and says nothing.
    with sent(*ALL_SIGNALS) as calls:
        assert leave_series(places[0].id) == []
    assert calls == []


def test_leaving_keeps_what_has_started_and_what_was_already_given_up(app, coordinator):
    series = coming_series(coordinator, count=3)
    first, second, third = series.dates
    take_series(series, 1)
    first_place, *_ = places_of("osallistuja1@example.fi")
    cancel_registration(places_of("osallistuja1@example.fi")[1].id)
    db.session.commit()
    started = first.starts_at + timedelta(minutes=5)
    left = leave_series(first_place.id, now=started)
    db.session.commit()
    assert [p.event_id for p in left] == [third.id]
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [C, X, X]


def test_leaving_needs_a_place_at_a_date_of_a_series(app):
    single = register_person(make_event(), "A", "a@example.fi")
    with pytest.raises(LookupError):
        leave_series(single.id)
