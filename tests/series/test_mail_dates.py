"""Mail about one date of a series: it carries that instance only (the series' UID, the date's
RECURRENCE-ID, its SEQUENCE), goes to the people with a place at that date, and leaves the
other dates alone."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.mailing.reminders import enqueue_reminders
from hytu_events.registrations.cancellation import cancel_registration
from tests.calendar.parsers import parse_everywhere
from tests.calendar.series_factories import cancel, move, take_places
from tests.mailing.helpers import body_of, calendar_of, outbox
from tests.series.helpers import make_series

TZID = "Europe/Helsinki"


def _since(mark: int, kind: MessageKind | None = None) -> list[OutboxMessage]:
    return [row for row in outbox(kind) if row.id > mark]


def _mark() -> int:
    rows = outbox()
    return rows[-1].id if rows else 0


def _instance(raw: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    """The calendar of a message about one date: exactly one VEVENT, an instance."""
    parse_everywhere(raw)
    calendar = icalendar.Calendar.from_ical(raw)
    [vevent] = calendar.walk("VEVENT")
    assert "RRULE" not in vevent and "EXDATE" not in vevent
    return calendar, vevent


def _local_rid(vevent) -> str:
    rid = vevent["RECURRENCE-ID"]
    assert rid.params["TZID"] == TZID
    return rid.dt.strftime("%Y%m%dT%H%M%S")


@pytest.fixture
def coffees(app, coordinator):
    series = make_series(coordinator, count=4, capacity=2)
    series.revision = 3  # changed a few times already: a date's SEQUENCE counts it too
    db.session.commit()
    return series


def test_registering_for_one_date_invites_to_that_instance(coffees):
    mark = _mark()
    take_places([coffees.dates[1]], 1)
    [confirmation] = _since(mark)
    assert confirmation.kind is MessageKind.CONFIRMATION
    calendar, vevent = _instance(calendar_of(confirmation))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(vevent["UID"]) == coffees.calendar_uid
    assert _local_rid(vevent) == "20270325T090000"
    assert int(vevent["SEQUENCE"]) == 3
    assert "Sarja: HYTU-virtuaalikahvit" in body_of(confirmation)


def test_a_moved_date_updates_that_instance_for_its_people_only(coffees):
    moved = coffees.dates[1]
    take_places(coffees.dates, 1, language="en")  # every date
    take_places([moved], 2)  # this date only
    take_places([moved], 3)  # waiting list: no calendar entry to move
    take_places([coffees.dates[0]], 4)  # another date only
    mark = _mark()

    move(moved, 2)
    updates = _since(mark)
    assert [(m.kind, m.to_address) for m in updates] == [
        (MessageKind.UPDATE, "saara1@example.fi"),
        (MessageKind.UPDATE, "saara2@example.fi"),
    ]
    for update in updates:
        calendar, vevent = _instance(calendar_of(update))
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(vevent["UID"]) == coffees.calendar_uid
        assert _local_rid(vevent) == "20270325T090000"  # the start the rule gave it
        assert vevent["DTSTART"].dt.strftime("%H:%M") == "11:00"
        assert int(vevent["SEQUENCE"]) == coffees.revision + moved.revision == 4
    assert "Your other dates stay as they are." in " ".join(body_of(updates[0]).split())


def test_a_cancelled_date_is_a_cancel_of_that_instance_and_the_others_stand(coffees):
    off = coffees.dates[2]
    take_places(coffees.dates, 1, language="en")
    take_places([off], 2)
    take_places([off], 3)  # waiting: a note, no calendar
    take_places([coffees.dates[3]], 4)
    mark = _mark()

    cancel(off, "Vetäjä sairastui.")
    sent = _since(mark)
    assert {m.to_address for m in sent} == {
        "saara1@example.fi",
        "saara2@example.fi",
        "saara3@example.fi",
    }
    for message in sent:
        assert message.kind is MessageKind.CANCELLATION
        if message.to_address == "saara3@example.fi":
            assert calendar_of(message) is None
            continue
        calendar, vevent = _instance(calendar_of(message))
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(vevent["STATUS"]) == "CANCELLED"
        assert str(vevent["UID"]) == coffees.calendar_uid
        assert _local_rid(vevent) == "20270408T090000"
        assert int(vevent["SEQUENCE"]) == coffees.revision + off.revision == 4
        assert "Vetäjä sairastui." in body_of(message)
    english = next(m for m in sent if m.to_address == "saara1@example.fi")
    assert "the other dates stand" in " ".join(body_of(english).split())
    db.session.expire_all()
    assert [d.status.value for d in coffees.dates] == [
        "published",
        "published",
        "cancelled",
        "published",
    ]


def test_leaving_one_date_cancels_that_instance_newer_than_the_invitation(coffees):
    places = take_places(coffees.dates, 1, language="en")
    invitation = _instance(calendar_of(outbox(MessageKind.CONFIRMATION)[1]))[1]
    take_places([coffees.dates[1]], 2)
    mark = _mark()

    cancel_registration(places[1].id)
    db.session.commit()
    [message] = _since(mark)
    assert (message.kind, message.to_address) == (
        MessageKind.PARTICIPANT_CANCELLED,
        "saara1@example.fi",
    )
    calendar, vevent = _instance(calendar_of(message))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert "STATUS" not in vevent  # uninviting one attendee (RFC 5546 3.2.5)
    assert vevent["ATTENDEE"].params["PARTSTAT"] == "DECLINED"
    assert _local_rid(vevent) == _local_rid(invitation) == "20270325T090000"
    # A higher SEQUENCE than the invitation (the person's own offset rose), and a later
    # DTSTAMP however quick: the CANCEL wins (RFC 5546 2.1.5).
    assert int(vevent["SEQUENCE"]) == int(invitation["SEQUENCE"]) + 1 == 4
    assert vevent["DTSTAMP"].dt > invitation["DTSTAMP"].dt
    assert "your places at the other dates of the series stay" in " ".join(body_of(message).split())


def test_a_reminder_of_a_date_names_that_date(coffees, app):
    take_places(coffees.dates[1:3], 1)
    take_places([coffees.dates[2]], 2)
    second = coffees.dates[1]
    assert enqueue_reminders(second.starts_at - timedelta(hours=2)) == 1
    db.session.commit()
    [reminder] = outbox(MessageKind.REMINDER)
    assert reminder.to_address == "saara1@example.fi"
    assert reminder.event_id == second.id
    text = body_of(reminder)
    assert "25.3.2027" in text and "9.00" in text  # that date, in Finnish
    assert "8.4.2027" not in text and "11.3.2027" not in text
