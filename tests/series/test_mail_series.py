"""Mail about several dates of a series at once: ONE message per person, whose calendar
describes exactly their dates (the whole series when they are all its dates, else one VEVENT per
date with the series' UID and its RECURRENCE-ID)."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.models import RegistrationStatus
from hytu_events.registrations.tokens import self_service_url
from hytu_events.series.signals import series_changed, series_left, series_registered
from tests.calendar.parsers import expand_everywhere, parse_everywhere
from tests.calendar.series_factories import give_up, take_places, wall
from tests.mailing.helpers import body_of, calendar_of, outbox
from tests.series.helpers import make_series

YEAR = (date(2027, 1, 1), date(2027, 12, 31))


def _since(mark: int) -> list[OutboxMessage]:
    return [row for row in outbox() if row.id > mark]


def _mark() -> int:
    rows = outbox()
    return rows[-1].id if rows else 0


def _vevents(raw: bytes) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    parse_everywhere(raw)
    calendar = icalendar.Calendar.from_ical(raw)
    return calendar, calendar.walk("VEVENT")


def _rids(vevents) -> list[str]:
    return [v["RECURRENCE-ID"].dt.strftime("%Y-%m-%dT%H:%M") for v in vevents]


def _rid(event) -> str:
    return wall(event.recurrence_id)[:16]


@pytest.fixture
def coffees(app, coordinator):
    series = make_series(coordinator, count=4, capacity=2)
    db.session.commit()
    return series


def test_a_changed_series_sends_one_update_per_person_describing_their_dates(coffees):
    every = take_places(coffees.dates, 1)
    some = take_places([coffees.dates[0], coffees.dates[2]], 2)
    take_places([coffees.dates[1]], 3)
    take_places([coffees.dates[1]], 4)  # full: waiting, nothing in a calendar to update

    coffees.title = "HYTU-aamukahvit"
    for event in coffees.dates:
        event.title = "HYTU-aamukahvit"
    coffees.revision += 1
    db.session.flush()
    mark = _mark()
    series_changed.send(coffees)
    db.session.commit()
    sent = {m.to_address: m for m in _since(mark)}
    assert sorted(sent) == ["saara1@example.fi", "saara2@example.fi", "saara3@example.fi"]
    assert {m.kind for m in sent.values()} == {MessageKind.UPDATE}

    calendar, [master] = _vevents(calendar_of(sent["saara1@example.fi"]))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(master["UID"]) == coffees.calendar_uid and "RECURRENCE-ID" not in master
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]
    assert int(master["SEQUENCE"]) == coffees.revision == 1
    assert str(master["SUMMARY"]) == "HYTU-aamukahvit"
    starts = [
        o["start_local"] for o in expand_everywhere(calendar_of(sent["saara1@example.fi"]), *YEAR)
    ]
    assert starts == [wall(place.event.starts_at) for place in every]

    calendar, instances = _vevents(calendar_of(sent["saara2@example.fi"]))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert {str(v["UID"]) for v in instances} == {coffees.calendar_uid}
    assert _rids(instances) == [_rid(place.event) for place in some]
    assert all("RRULE" not in v for v in instances)
    assert [int(v["SEQUENCE"]) for v in instances] == [1, 1]  # the series' 1 + the dates' 0

    _calendar, [alone] = _vevents(calendar_of(sent["saara3@example.fi"]))
    assert _rids([alone]) == [_rid(coffees.dates[1])]


def test_registering_for_the_series_sends_one_confirmation_of_exactly_those_dates(coffees):
    take_places([coffees.dates[2]], 8)
    take_places([coffees.dates[2]], 9)  # the third date is now full
    places = take_places(coffees.dates, 1, language="en")
    assert [p.status for p in places] == [RegistrationStatus.CONFIRMED] * 2 + [
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CONFIRMED,
    ]
    mark = _mark()  # the per-date mails of take_places are not what series_registered sends
    series_registered.send(coffees, registrations=places)
    db.session.commit()
    [message] = _since(mark)
    assert message.kind is MessageKind.CONFIRMATION and message.to_address == "saara1@example.fi"
    assert message.registration_id == places[0].id
    calendar, instances = _vevents(calendar_of(message))
    assert str(calendar["METHOD"]) == "REQUEST"
    # Three confirmed dates of four: those three instances, the waiting one only in the text.
    assert _rids(instances) == [
        _rid(p.event) for p in places if p.status is RegistrationStatus.CONFIRMED
    ]
    text = " ".join(body_of(message).split())
    assert "number 1 on the waiting list" in text
    assert "Thu, Apr 8, 2027" in text
    assert self_service_url(places[0]) in body_of(message)


def test_places_at_every_date_are_confirmed_with_the_whole_series(coffees):
    places = take_places(coffees.dates, 1)
    mark = _mark()
    series_registered.send(coffees, registrations=places)
    db.session.commit()
    [message] = _since(mark)
    _calendar, [master] = _vevents(calendar_of(message))
    assert "RRULE" in master and int(master["SEQUENCE"]) == coffees.revision


def test_only_waiting_places_get_a_note_without_a_calendar(coffees):
    for n in (8, 9):
        take_places(coffees.dates[:2], n)
    places = take_places(coffees.dates[:2], 1)
    mark = _mark()
    series_registered.send(coffees, registrations=places)
    db.session.commit()
    [message] = _since(mark)
    assert message.kind is MessageKind.WAITLISTED
    assert calendar_of(message) is None


def test_leaving_the_whole_series_is_one_cancel_of_the_series(coffees):
    places = take_places(coffees.dates, 1)
    take_places(coffees.dates, 2)
    coffees.revision = 2
    db.session.commit()
    mark = _mark()
    series_left.send(coffees, registrations=give_up(places))
    db.session.commit()
    [message] = _since(mark)
    assert (message.kind, message.to_address) == (
        MessageKind.PARTICIPANT_CANCELLED,
        "saara1@example.fi",
    )
    calendar, [master] = _vevents(calendar_of(message))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert "RRULE" in master and "RECURRENCE-ID" not in master
    assert "STATUS" not in master  # uninviting one attendee, the series stands
    assert master["ATTENDEE"].params["PARTSTAT"] == "DECLINED"
    # Above the invitation's 2: leaving raised the person's own offset, once.
    assert int(master["SEQUENCE"]) == 3


def test_leaving_the_rest_of_the_series_cancels_those_dates(coffees):
    places = take_places(coffees.dates, 1)
    mark = _mark()
    series_left.send(coffees, registrations=give_up(places[2:]))
    db.session.commit()
    [message] = _since(mark)
    calendar, instances = _vevents(calendar_of(message))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert _rids(instances) == [_rid(p.event) for p in places[2:]]
    assert [int(v["SEQUENCE"]) for v in instances] == [1, 1]  # above the invitations' 0
    assert all("STATUS" not in v for v in instances)


def test_leaving_waiting_places_sends_no_calendar(coffees):
    for n in (8, 9):
        take_places(coffees.dates[:2], n)
    places = take_places(coffees.dates[:2], 1)
    mark = _mark()
    series_left.send(
        coffees, registrations=give_up(places), was_confirmed={p.id: False for p in places}
    )
    db.session.commit()
    [message] = _since(mark)
    assert message.kind is MessageKind.PARTICIPANT_CANCELLED
    assert calendar_of(message) is None


def test_leaving_the_series_cancels_in_the_calendar_only_the_dates_held(coffees):
    """Through the operation: a place on the waiting list was in no calendar."""
    from hytu_events.series.registration import leave_series

    first, second = coffees.dates[:2]
    for n in (8, 9):
        take_places([second], n)  # the second date is full
    confirmed, waiting = take_places([first, second], 1)
    assert waiting.status is RegistrationStatus.WAITLISTED
    mark = _mark()
    leave_series(confirmed.id)
    db.session.commit()
    [message] = _since(mark)
    calendar, instances = _vevents(calendar_of(message))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert _rids(instances) == [_rid(first)]
