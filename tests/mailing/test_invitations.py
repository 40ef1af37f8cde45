"""Invitations, updates and cancellations as participants' mail clients receive them: over
SMTP from a real server, parsed with the stdlib, icalendar, vobject and ical.js."""

from __future__ import annotations

from datetime import timedelta

import vobject
from flask_babel import force_locale

from hytu_events.events.models import EventStatus
from hytu_events.extensions import db
from hytu_events.i18n import event_time_range
from hytu_events.mailing import notify
from hytu_events.mailing.cli import mail_group
from hytu_events.mailing.models import MessageKind, MessageStatus
from hytu_events.mailing.sender import deliver_due
from hytu_events.registrations.cancellation import cancel_registration
from hytu_events.registrations.models import Language, RegistrationStatus
from hytu_events.registrations.operations import ParticipantDetails, register
from tests.calendar.parsers import icaljs, parse_everywhere
from tests.helpers import make_event

from .helpers import (
    calendar_bytes,
    html_words,
    outbox,
    register_person,
    text_and_html,
    to_address,
    tree,
    vevent_of,
    words,
)

INVITATION_TREE = [
    "multipart/mixed",
    "multipart/alternative",
    "text/plain",
    "text/html",
    "text/calendar",
    "application/ics",
]


def _deliver_all(mailbox):
    report = deliver_due()
    assert report.failed == 0 and report.retrying == 0
    return mailbox.messages()


def _check_invitation(message, method: str):
    """What every calendar-carrying message must satisfy; returns (raw, VEVENT)."""
    assert tree(message) == INVITATION_TREE
    inline, attachment, method_param = calendar_bytes(message)
    assert inline == attachment  # the attachment is the very same calendar
    assert inline.startswith(b"BEGIN:VCALENDAR\r\n")  # nothing, not even a space, before it
    calendar, vevent = vevent_of(inline)
    assert method_param == str(calendar["METHOD"]) == method
    assert calendar.walk("VTIMEZONE"), "the calendar defines its time zone"
    assert not vevent.walk("VALARM")
    organizer = vevent["ORGANIZER"]
    assert str(organizer) == "mailto:hytu-kalenteri@hytu.test"
    assert organizer.params["CN"] == "HYTU-verkosto"
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == f"mailto:{to_address(message)}"
    assert attendee.params["RSVP"] == "FALSE"
    return inline, vevent


def test_confirmation_is_a_request_with_organizer_attendee_and_links(app, mailbox):
    event = make_event(title="HYTU-klinikka: Inari, kevät", capacity=5)
    registration = register_person(event, 1, language="fi")
    [queued] = outbox()
    assert queued.kind is MessageKind.CONFIRMATION and queued.status is MessageStatus.QUEUED

    [message] = _deliver_all(mailbox)
    assert message["Message-ID"] == queued.message_id
    assert message["Content-Language"] == "fi"
    raw, vevent = _check_invitation(message, "REQUEST")
    assert str(vevent["UID"]) == event.calendar_uid
    assert int(vevent["SEQUENCE"]) == 0
    assert vevent["ATTENDEE"].params["CN"] == registration.name
    assert vevent["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    by_vobject, by_icaljs = parse_everywhere(raw)
    assert by_vobject[event.calendar_uid]["sequence"] == 0
    assert icaljs(raw.decode())["method"] == "REQUEST"

    text, html = text_and_html(message)
    assert "/r/" in text  # the self-service link
    assert "/calendar/personal/" in text  # the personal feed
    local_start = event.starts_at.astimezone(vevent["DTSTART"].dt.tzinfo)
    assert f"{local_start.day}.{local_start.month}.{local_start.year}" in text  # Finnish date
    assert "Inarin kunnantalo" in text
    db.session.refresh(queued)
    assert queued.status is MessageStatus.SENT and queued.sent_at is not None


def test_text_and_html_parts_say_the_same(app, mailbox):
    event = make_event(online_url="https://teams.example/meet/1", venue=None)
    register_person(event, 1, language="sv")
    [message] = _deliver_all(mailbox)
    text, html = text_and_html(message)
    body = html.split("<body", 1)[1]
    assert words(text) == html_words("<body" + body)
    assert "https://teams.example/meet/1" in text  # confirmed: the online link is theirs


def test_each_language_gets_its_own_local_time(app, mailbox):
    event = make_event()
    for n, language in enumerate(("fi", "sv", "en")):
        register_person(event, n, language=language)
    messages = {m["Content-Language"]: m for m in _deliver_all(mailbox)}
    assert set(messages) == {"fi", "sv", "en"}
    expected = {}
    for language in ("fi", "sv", "en"):
        with force_locale(language):
            expected[language] = event_time_range(event.starts_at, event.ends_at)
    assert len(set(expected.values())) == 3  # three languages, three ways to write a time
    for language, message in messages.items():
        text, html = text_and_html(message)
        assert expected[language] in text
        assert expected[language] in html


def test_update_and_cancellation_raise_the_sequence(app, mailbox):
    event = make_event(capacity=10)
    register_person(event, 1)
    register_person(event, 2, language="en")
    _deliver_all(mailbox)
    mailbox.clear()

    # The back office moves the event by an hour and raises the revision.
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    event.revision += 1
    notify.notify_event_changed(event)
    db.session.commit()
    updates = _deliver_all(mailbox)
    assert sorted(to_address(m) for m in updates) == ["kaisa1@example.fi", "kaisa2@example.fi"]
    for message in updates:
        raw, vevent = _check_invitation(message, "REQUEST")
        assert int(vevent["SEQUENCE"]) == 1
        assert vevent["DTSTART"].dt == event.starts_at
        parse_everywhere(raw)
    mailbox.clear()

    event.status = EventStatus.CANCELLED
    event.cancellation_reason = "Kouluttaja sairastui."
    event.revision += 1
    notify.notify_event_cancelled(event)
    db.session.commit()
    cancellations = _deliver_all(mailbox)
    assert len(cancellations) == 2
    for message in cancellations:
        raw, vevent = _check_invitation(message, "CANCEL")
        assert str(vevent["STATUS"]) == "CANCELLED"
        assert int(vevent["SEQUENCE"]) == 2
        by_vobject, by_icaljs = parse_everywhere(raw)
        assert by_icaljs[event.calendar_uid]["status"] == "CANCELLED"
        assert "Kouluttaja sairastui." in text_and_html(message)[0]
    assert all(m.kind is MessageKind.CANCELLATION for m in outbox(MessageKind.CANCELLATION))


def test_waiting_list_gets_plain_mail_and_promotion_the_invitation(app, mailbox):
    event = make_event(capacity=1)
    first = register_person(event, 1)
    waiting = register_person(event, 2, language="en")
    assert waiting.status is RegistrationStatus.WAITLISTED
    messages = {to_address(m): m for m in _deliver_all(mailbox)}
    plain = messages["kaisa2@example.fi"]
    assert tree(plain) == ["multipart/alternative", "text/plain", "text/html"]
    assert "waiting list" in text_and_html(plain)[0]
    mailbox.clear()

    # The confirmed person cancels: they get a CANCEL, the next in line the invitation.
    cancel_registration(first.id)
    db.session.commit()
    messages = {to_address(m): m for m in _deliver_all(mailbox)}
    assert set(messages) == {"kaisa1@example.fi", "kaisa2@example.fi"}

    cancelled = messages["kaisa1@example.fi"]
    raw, vevent = _check_invitation(cancelled, "CANCEL")
    # Uninviting one attendee, not cancelling the event: no STATUS (RFC 5546 3.2.5).
    assert "STATUS" not in vevent
    assert vevent["ATTENDEE"].params["CN"] == first.name
    # Newer than the invitation it withdraws: their own change raised their SEQUENCE alone.
    assert int(vevent["SEQUENCE"]) == event.revision + 1
    vobject.readOne(raw.decode(), validate=True)
    assert icaljs(raw.decode())["method"] == "CANCEL"

    promoted = messages["kaisa2@example.fi"]
    raw, vevent = _check_invitation(promoted, "REQUEST")
    assert vevent["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert int(vevent["SEQUENCE"]) == event.revision  # nobody else's copy moved
    parse_everywhere(raw)
    kinds = [m.kind for m in outbox()][-2:]
    assert kinds == [MessageKind.PARTICIPANT_CANCELLED, MessageKind.PROMOTED]


def test_leaving_the_waiting_list_sends_no_calendar(app, mailbox):
    event = make_event(capacity=1)
    register_person(event, 1)
    waiting = register_person(event, 2)
    _deliver_all(mailbox)
    mailbox.clear()
    cancel_registration(waiting.id)
    db.session.commit()
    [message] = _deliver_all(mailbox)
    assert tree(message) == ["multipart/alternative", "text/plain", "text/html"]


def test_coordinator_message_goes_to_each_confirmed_participant(app, mailbox):
    event = make_event(capacity=2)
    for n in range(3):
        register_person(event, n)
    _deliver_all(mailbox)
    mailbox.clear()
    sent = notify.send_coordinator_message(
        event, notify.Audience.CONFIRMED, "Ennakkotehtävä", "Hei!\n\nLukekaa liite ennen klinikkaa."
    )
    db.session.commit()
    assert len(sent) == 2
    messages = _deliver_all(mailbox)
    assert sorted(to_address(m) for m in messages) == ["kaisa0@example.fi", "kaisa1@example.fi"]
    assert all(m["Subject"] == "Ennakkotehtävä" for m in messages)
    assert all("Lukekaa liite ennen klinikkaa." in text_and_html(m)[0] for m in messages)


def test_nothing_is_sent_when_the_registration_rolls_back(app, mailbox):
    event = make_event()
    details = ParticipantDetails(
        "Aino", "aino@example.fi", None, "Kylä ry", None, None, None, Language.FI
    )
    register(event.id, details)
    db.session.rollback()
    assert outbox() == []
    assert deliver_due().attempted == 0
    assert mailbox.messages() == []


def test_asking_for_links_again_mails_every_active_place(app, client, mailbox):
    first = make_event(title="Klinikka A")
    second = make_event(title="Työpaja B")
    register_person(first, 1, language="en")
    register_person(second, 1, language="en")
    _deliver_all(mailbox)
    mailbox.clear()

    from tests.helpers import post_form

    app.config["RATELIMIT_ENABLED"] = False
    for email in ("kaisa1@example.fi", "nobody@example.fi"):
        assert post_form(client, "/r/?lang=en", {"email": email}).status_code == 200
    assert outbox()[-1].kind is not MessageKind.LINK_RESEND  # the mail worker answers them
    result = app.test_cli_runner().invoke(mail_group, ["send"])
    assert "Link requests answered: 2" in result.output and "Sent: 1" in result.output
    [message] = mailbox.messages()  # nothing goes to an address without places
    assert to_address(message) == "kaisa1@example.fi"
    text, html = text_and_html(message)
    assert "Klinikka A" in text and "Työpaja B" in text
    assert text.count("/r/") == 2 and "/calendar/personal/" in text
    assert outbox()[-1].kind is MessageKind.LINK_RESEND


def test_registering_again_mails_the_link_to_the_address_owner(app, mailbox):
    event = make_event()
    register_person(event, 1)
    register_person(event, 1)  # same email again: no new place
    kinds = [row.kind for row in outbox()]
    assert kinds == [MessageKind.CONFIRMATION, MessageKind.LINK_RESEND]
    assert {to_address(m) for m in _deliver_all(mailbox)} == {"kaisa1@example.fi"}
