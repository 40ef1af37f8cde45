"""A series in participants' calendars through the back office's changes and their own: every
message received over SMTP, parsed by vobject and ical.js and replayed in order as RFC 5546
says a client does (tests/calendar/itip.py). One person holds the whole series (the master),
one some dates (lone instances)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from hytu_events.db.types import utcnow
from hytu_events.events import operations
from hytu_events.extensions import db
from hytu_events.registrations.cancellation import cancel_registration
from hytu_events.registrations.operations import register
from hytu_events.series import changes
from hytu_events.series.registration import leave_series, register_for_series
from tests.calendar.series_factories import BEFORE_SERIES, details_of, move, person, take_places
from tests.series.helpers import FIRST_DATE, make_series
from tests.series.test_changes import at, edited
from tests.staff import coordinator  # noqa: F401

from .helpers import to_address
from .replay import Recipients, deliver

WHOLE, SOME = "saara1@example.fi", "saara2@example.fi"
OLD_TITLE, NEW_TITLE = "HYTU-virtuaalikahvit", "Aamukahvit, HYTU"


@pytest.fixture
def same_second(monkeypatch):
    """Every message is built within one second of the clock: DTSTAMP alone orders nothing."""
    frozen = utcnow().replace(microsecond=0)
    monkeypatch.setattr("hytu_events.mailing.outbox.utcnow", lambda: frozen)
    return frozen


@pytest.fixture
def coffees(app, coordinator, mailbox):  # noqa: F811
    """Four coffees; one person registered for the whole series, one for the 1st and 3rd."""
    series = make_series(coordinator, count=4)
    db.session.commit()
    register_for_series(series.id, person(1), None, now=BEFORE_SERIES)
    db.session.commit()
    take_places([series.dates[0], series.dates[2]], 2)
    return series


@pytest.fixture
def people(coffees, mailbox) -> Recipients:
    people = Recipients()
    people.receive(deliver(mailbox))
    return people


def _shown(people: Recipients, address: str) -> list[tuple[str, str]]:
    return [(o["start_local"], o["summary"]) for o in people.shown(address, FIRST_DATE)]


def _all_taken(people: Recipients, address: str) -> bool:
    return all(taken for _method, taken in people.taken[address])


def test_a_new_title_for_all_dates_is_one_update_per_person(coffees, people, mailbox):
    first = coffees.dates[0]
    changes.edit_all(coffees.id, first.id, edited(first, first.starts_at, title=NEW_TITLE))
    db.session.commit()
    received = deliver(mailbox)
    assert Counter(to_address(m) for m in received) == {WHOLE: 1, SOME: 1}
    assert coffees.revision == 0  # a new title is no significant change
    people.receive(received)
    for address, count in ((WHOLE, 4), (SOME, 2)):
        assert _all_taken(people, address), people.taken[address]
        shown = _shown(people, address)
        assert [summary for _start, summary in shown] == [NEW_TITLE] * count


def test_one_dates_new_title_reaches_its_people_only(coffees, people, mailbox, same_second):
    second = coffees.dates[1]
    operations.update_event(second.id, details_of(second, title=NEW_TITLE))
    db.session.commit()
    received = deliver(mailbox)
    assert [to_address(m) for m in received] == [WHOLE]
    people.receive(received)
    assert _all_taken(people, WHOLE)
    assert [summary for _start, summary in _shown(people, WHOLE)] == [
        OLD_TITLE,
        NEW_TITLE,
        OLD_TITLE,
        OLD_TITLE,
    ]


def test_a_date_moved_on_its_own_returns_with_the_series_update(coffees, people, mailbox):
    third = coffees.dates[2]
    move(third, 2)
    people.receive(deliver(mailbox))
    assert [start[11:16] for start, _ in _shown(people, WHOLE)] == [
        "09:00",
        "09:00",
        "11:00",
        "09:00",
    ]
    # "All dates" as they are: the moved one goes back to the series' time.
    first = coffees.dates[0]
    changes.edit_all(coffees.id, first.id, edited(first, first.starts_at))
    db.session.commit()
    received = deliver(mailbox)
    assert Counter(to_address(m) for m in received) == {WHOLE: 1, SOME: 1}
    people.receive(received)
    for address in (WHOLE, SOME):
        assert _all_taken(people, address), people.taken[address]
        assert {start[11:16] for start, _ in _shown(people, address)} == {"09:00"}


def test_a_split_with_a_new_title_shows_it_from_that_date_on(coffees, people, mailbox):
    third = coffees.dates[2]
    changes.edit_following(
        coffees.id, third.id, edited(third, at(third.starts_at.date(), 9), title=NEW_TITLE)
    )
    db.session.commit()
    people.receive(deliver(mailbox))
    assert [summary for _start, summary in _shown(people, WHOLE)] == [OLD_TITLE] * 2 + [
        NEW_TITLE
    ] * 2
    assert [summary for _start, summary in _shown(people, SOME)] == [OLD_TITLE, NEW_TITLE]


def test_leaving_one_date_and_taking_it_again(coffees, people, mailbox, same_second):
    second = coffees.dates[1]
    others = list(people.taken[SOME])
    place = second.registrations.filter_by(email=WHOLE).one()
    cancel_registration(place.id)
    db.session.commit()
    people.receive(deliver(mailbox))
    assert people.taken[WHOLE][-1] == ("CANCEL", True)
    # Newer by SEQUENCE alone, as a client that compares SEQUENCE only needs it.
    assert people.sequences[WHOLE] == [0, 1]
    days = [start[:10] for start, _ in _shown(people, WHOLE)]
    assert second.starts_at.date().isoformat() not in days and len(days) == 3

    register(second.id, person(1))
    db.session.commit()
    people.receive(deliver(mailbox))
    assert people.taken[WHOLE][-1] == ("REQUEST", True)
    assert people.sequences[WHOLE] == [0, 1, 2]
    assert len(_shown(people, WHOLE)) == 4
    # The other person's calendar never heard of it.
    assert people.taken[SOME] == others


def test_leaving_the_series_and_registering_again(coffees, people, mailbox, same_second):
    place = coffees.dates[0].registrations.filter_by(email=WHOLE).one()
    leave_series(place.id, now=BEFORE_SERIES)
    db.session.commit()
    people.receive(deliver(mailbox))
    assert people.taken[WHOLE][-1] == ("CANCEL", True)
    assert _shown(people, WHOLE) == []

    register_for_series(coffees.id, person(1), None, now=BEFORE_SERIES)
    db.session.commit()
    people.receive(deliver(mailbox))
    assert people.taken[WHOLE][-1] == ("REQUEST", True)
    # One step for leaving four dates, one for taking them again: SEQUENCE alone orders them.
    assert people.sequences[WHOLE] == [0, 1, 2]
    assert len(_shown(people, WHOLE)) == 4
    assert date.fromisoformat(_shown(people, WHOLE)[0][0][:10]) == FIRST_DATE
