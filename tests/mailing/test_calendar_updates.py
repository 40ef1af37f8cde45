"""What participants' calendars make of the back office's changes and of their own: every
message received over SMTP, parsed by vobject and ical.js and replayed in order as RFC 5546
says a client does (tests/calendar/itip.py), where a message that is not newer is ignored."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hytu_events.db.types import utcnow
from hytu_events.events import operations
from hytu_events.events.models import EventKind, EventStatus
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind
from hytu_events.registrations.cancellation import cancel_registration
from hytu_events.registrations.models import RegistrationStatus
from tests.calendar.parsers import parse_everywhere
from tests.calendar.series_factories import details_of
from tests.helpers import make_event

from .helpers import calendar_of, outbox, register_person, to_address, vevent_of
from .replay import Recipients, deliver, inline_calendar

FIRST, SECOND, WAITING = "kaisa1@example.fi", "kaisa2@example.fi", "kaisa3@example.fi"


@pytest.fixture
def same_second(monkeypatch):
    """Every message is built within one second of the clock, as when a coordinator saves
    right after someone registered: DTSTAMP alone could not order them."""
    frozen = utcnow().replace(microsecond=0)
    monkeypatch.setattr("hytu_events.mailing.outbox.utcnow", lambda: frozen)
    return frozen


def _event_with_people():
    event = make_event(capacity=2)
    for n in (1, 2, 3):
        register_person(event, n)
    return event


def _update(event, **changes):
    operations.update_event(event.id, details_of(event, **changes))
    db.session.commit()


def _vevent(message):
    return vevent_of(inline_calendar(message))[1]


def test_a_new_title_and_description_reach_every_confirmed_participant(app, mailbox, same_second):
    event = _event_with_people()
    people = Recipients()
    people.receive(deliver(mailbox))

    _update(event, title="HYTU-klinikka: Inari ja Utsjoki", description="Uusi ohjelma.")
    updates = deliver(mailbox)
    # One message per person with a place; the waiting list has nothing in a calendar.
    assert sorted(to_address(m) for m in updates) == [FIRST, SECOND]
    for message in updates:
        assert message["Subject"] == "Tapahtumaa muutettu: HYTU-klinikka: Inari ja Utsjoki"
        by_vobject, by_icaljs = parse_everywhere(inline_calendar(message))
        for found in (by_vobject[event.calendar_uid], by_icaljs[event.calendar_uid]):
            assert found["summary"] == "HYTU-klinikka: Inari ja Utsjoki"
            assert found["description"].startswith("Uusi ohjelma.")
            # Not a significant change (RFC 5546 2.1.4): the SEQUENCE stays ...
            assert found["sequence"] == 0
    people.receive(updates)
    for address in (FIRST, SECOND):
        # ... and the later DTSTAMP makes it the newer message, though built in the same
        # second as the invitation.
        assert people.taken[address] == [("REQUEST", True), ("REQUEST", True)]
        [shown] = people.shown(address, event.starts_at.date())
        assert shown["summary"] == "HYTU-klinikka: Inari ja Utsjoki"
    assert event.revision == 0


def test_one_save_of_many_changes_is_one_message_with_the_sequence_raised_once(app, mailbox):
    event = _event_with_people()
    people = Recipients()
    people.receive(deliver(mailbox))

    later = event.starts_at + timedelta(hours=2)
    _update(
        event,
        title="HYTU-klinikka: Inari, siirretty",
        starts_at=later,
        ends_at=later + timedelta(hours=3),
        venue="Sajos, Inari",
        online_url="https://teams.example/meet/inari",
    )
    updates = deliver(mailbox)
    assert sorted(to_address(m) for m in updates) == [FIRST, SECOND]
    for message in updates:
        vevent = _vevent(message)
        assert int(vevent["SEQUENCE"]) == event.revision == 1
        assert str(vevent["SUMMARY"]) == "HYTU-klinikka: Inari, siirretty"
        assert "Sajos, Inari" in str(vevent["LOCATION"])
    people.receive(updates)
    [shown] = people.shown(FIRST, event.starts_at.date())
    assert (shown["summary"], shown["start_utc"]) == (
        "HYTU-klinikka: Inari, siirretty",
        later.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


#: Each change a coordinator can make, whether participants hear of it, and whether it raises
#: the SEQUENCE (the rule of events.operations).
CHANGES = {
    "title": ({"title": "Uusi nimi"}, True, False),
    "description": ({"description": "Uusi kuvaus."}, True, False),
    "kind": ({"kind": EventKind.MUNICIPAL_WORKSHOP}, True, False),
    "time": ({"_shift": timedelta(hours=1)}, True, True),
    "length": ({"_longer": timedelta(minutes=30)}, True, True),
    "venue": ({"venue": "Sajos"}, True, True),
    "online link": ({"online_url": "https://teams.example/meet/2"}, True, True),
    "capacity": ({"capacity": 30}, False, False),
    "needs asked": ({"asks_for_needs": True}, False, False),
    "link public": ({"online_url_public": True}, False, False),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_which_changes_reach_calendars_and_which_raise_the_sequence(app, name):
    event = make_event(capacity=5)
    register_person(event, 1)
    changes, told, raised = CHANGES[name]
    changes = dict(changes)
    if shift := changes.pop("_shift", None):
        changes = {"starts_at": event.starts_at + shift, "ends_at": event.ends_at + shift}
    if longer := changes.pop("_longer", None):
        changes = {"ends_at": event.ends_at + longer}
    _update(event, **changes)
    updates = outbox(MessageKind.UPDATE)
    assert len(updates) == (1 if told else 0)
    assert event.revision == (1 if raised else 0)
    if told:
        _calendar, vevent = vevent_of(calendar_of(updates[0]))
        assert int(vevent["SEQUENCE"]) == event.revision


def test_a_draft_tells_nobody(app):
    event = make_event(status=EventStatus.DRAFT)
    _update(event, title="Luonnoksen uusi nimi")
    assert outbox() == []


def test_whoever_gets_a_seat_in_the_same_save_gets_one_message(app, mailbox):
    event = _event_with_people()
    deliver(mailbox)
    _update(event, title="HYTU-klinikka: lisäpaikkoja", capacity=3)
    received = deliver(mailbox)
    assert sorted(to_address(m) for m in received) == [FIRST, SECOND, WAITING]
    kinds = {row.to_address: row.kind for row in outbox()[-3:]}
    assert kinds[WAITING] is MessageKind.PROMOTED
    promoted = next(m for m in received if to_address(m) == WAITING)
    assert str(_vevent(promoted)["SUMMARY"]) == "HYTU-klinikka: lisäpaikkoja"


def test_own_cancellation_outranks_the_invitation_and_registering_again_the_cancel(
    app, mailbox, same_second
):
    event = _event_with_people()
    people = Recipients()
    people.receive(deliver(mailbox))
    first = event.registrations.filter_by(email=FIRST).one()
    assert first.status is RegistrationStatus.CONFIRMED

    cancel_registration(first.id)
    db.session.commit()
    received = deliver(mailbox)
    people.receive(received)
    assert people.taken[FIRST][-1] == ("CANCEL", True)
    assert people.shown(FIRST, event.starts_at.date()) == []
    cancel = next(m for m in received if to_address(m) == FIRST)
    assert int(_vevent(cancel)["SEQUENCE"]) == 1  # above the invitation's 0, in one second

    # The freed seat went to the waiting list: registering again gives a waiting place, and
    # the invitation comes with the seat the next cancellation frees.
    register_person(event, 1)
    people.receive(deliver(mailbox))
    cancel_registration(event.registrations.filter_by(email=WAITING).one().id)
    db.session.commit()
    received = deliver(mailbox)
    people.receive(received)
    again = next(m for m in received if to_address(m) == FIRST)
    assert int(_vevent(again)["SEQUENCE"]) == 2
    assert people.taken[FIRST][-1] == ("REQUEST", True)
    [shown] = people.shown(FIRST, event.starts_at.date())
    assert shown["uid"] == event.calendar_uid

    # The others' copies never moved: a rename reaches everyone at their own SEQUENCE.
    _update(event, title="HYTU-klinikka: Inari, uusi nimi")
    updates = {to_address(m): m for m in deliver(mailbox)}
    assert {address: int(_vevent(m)["SEQUENCE"]) for address, m in updates.items()} == {
        FIRST: 2,
        SECOND: 0,
    }
    people.receive(list(updates.values()))
    for address in (FIRST, SECOND):
        [shown] = people.shown(address, event.starts_at.date())
        assert shown["summary"] == "HYTU-klinikka: Inari, uusi nimi"
    assert all(taken for _method, taken in people.taken[FIRST])


def test_every_invitation_and_cancellation_names_the_organizer(app, mailbox):
    event = _event_with_people()
    _update(event, title="HYTU-klinikka: uusi nimi")
    cancel_registration(event.registrations.filter_by(email=FIRST).one().id)
    db.session.commit()
    operations.cancel_event(event.id, "Kouluttaja sairastui.")
    db.session.commit()
    methods = []
    for message in deliver(mailbox):
        raw = inline_calendar(message)
        if raw is None:
            continue
        calendar, vevent = vevent_of(raw)
        methods.append(str(calendar["METHOD"]))
        # RFC 5546 3.2.2 and 3.2.5: REQUEST and CANCEL carry the ORGANIZER.
        assert str(vevent["ORGANIZER"]) == "mailto:hytu-kalenteri@hytu.test"
        assert vevent["ORGANIZER"].params["CN"] == "HYTU-verkosto"
        by_vobject, by_icaljs = parse_everywhere(raw)
        assert by_icaljs[event.calendar_uid]["organizer"] == "mailto:hytu-kalenteri@hytu.test"
    assert sorted(set(methods)) == ["CANCEL", "REQUEST"]
