"""An event's Swedish and English texts reach participants in their language: the subject,
the message and the attached calendar; a missing translation gives the Finnish text, marked
as Finnish."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from datetime import timedelta

import icalendar

from hytu_events.db.types import utcnow
from hytu_events.events import operations
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind
from hytu_events.mailing.reminders import enqueue_reminders
from tests.helpers import make_event
from tests.mailing.helpers import outbox, register_person

SWEDISH = {"title_sv": "HYTU-klinik: Enare", "description_sv": "Kommunens HYTU-arbetsgrupp."}


def _parsed(message):
    return email.message_from_bytes(message.mime, policy=email.policy.default)


def _vevent(message) -> icalendar.Event:
    [part] = [p for p in _parsed(message).walk() if p.get_content_type() == "text/calendar"]
    [vevent] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return vevent


def _html(message) -> str:
    return _parsed(message).get_body(preferencelist=("html",)).get_content()


def _by_address(messages) -> dict:
    return {m.to_address: m for m in messages}


def test_each_participant_gets_the_title_and_description_of_their_language(app):
    event = make_event(**SWEDISH)
    register_person(event, 1, language="fi")
    register_person(event, 2, language="sv")
    register_person(event, 3, language="en")  # no English texts
    sent = _by_address(outbox(MessageKind.CONFIRMATION))
    finnish, swedish, english = (sent[f"kaisa{n}@example.fi"] for n in (1, 2, 3))

    assert "HYTU-klinikka: Inari" in _parsed(finnish)["Subject"]
    assert "HYTU-klinik: Enare" in _parsed(swedish)["Subject"]
    assert "HYTU-klinikka: Inari" in _parsed(english)["Subject"]

    summary = _vevent(swedish)["SUMMARY"]
    assert str(summary) == "HYTU-klinik: Enare"
    assert "LANGUAGE" not in summary.params  # in the calendar's own language
    assert "Kommunens HYTU-arbetsgrupp." in str(_vevent(swedish)["DESCRIPTION"])
    assert str(_vevent(finnish)["SUMMARY"]) == "HYTU-klinikka: Inari"
    assert "LANGUAGE" not in _vevent(finnish)["SUMMARY"].params

    fallback = _vevent(english)["SUMMARY"]
    assert str(fallback) == "HYTU-klinikka: Inari"
    assert fallback.params["LANGUAGE"] == "fi"
    assert '<td style="padding:2px 0" lang="fi">HYTU-klinikka: Inari</td>' in _html(english)
    assert 'lang="fi"' not in _html(swedish)


def test_a_reminder_names_the_event_in_the_participants_language(app):
    event = make_event(starts_at=utcnow().replace(microsecond=0) + timedelta(hours=20), **SWEDISH)
    register_person(event, 1, language="sv")
    enqueue_reminders()
    db.session.commit()
    [reminder] = outbox(MessageKind.REMINDER)
    assert _parsed(reminder)["Subject"] == "Påminnelse: HYTU-klinik: Enare"


def test_a_new_swedish_title_updates_the_calendars_and_keeps_the_sequence(app):
    event = make_event(**SWEDISH)
    register_person(event, 1, language="sv")
    register_person(event, 2, language="fi")
    details = dataclasses.replace(operations.EventDetails.of(event), title_sv="Ny titel")
    operations.update_event(event.id, details)
    db.session.commit()
    updates = _by_address(outbox(MessageKind.UPDATE))
    assert set(updates) == {"kaisa1@example.fi", "kaisa2@example.fi"}
    swedish = updates["kaisa1@example.fi"]
    assert "Ny titel" in _parsed(swedish)["Subject"]
    assert str(_vevent(swedish)["SUMMARY"]) == "Ny titel"
    assert int(_vevent(swedish)["SEQUENCE"]) == 0  # a new title moves no meeting
    assert str(_vevent(updates["kaisa2@example.fi"])["SUMMARY"]) == "HYTU-klinikka: Inari"
