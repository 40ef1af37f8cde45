"""Who is asked for feedback, when, and that nobody is asked twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hytu_events.db.types import utcnow
from hytu_events.events.models import EventStatus
from hytu_events.extensions import db
from hytu_events.feedback.switches import save_setting, setting_of
from hytu_events.registrations.models import Language, RegistrationStatus
from hytu_events.registrations.personal_data import erase_personal_data
from tests.accounts.helpers import make_user
from tests.plan.helpers import register
from tests.series.registering import coming_series

from .helpers import ask, ended_event, feedback_messages, link_in, requests_of


def test_each_confirmed_participant_is_asked_once(app):
    event = ended_event()
    people = [register(event) for _ in range(3)]
    assert ask() == 3
    assert ask() == 0  # the worker runs every round: nothing more
    assert sorted(m.to_address for m in feedback_messages()) == sorted(p.email for p in people)
    assert len(requests_of(event)) == 3


def test_marked_attendance_decides_who_is_asked(app):
    event = ended_event()
    came = register(event, attended=True)
    register(event, attended=False)
    register(event)  # not marked, while others are: did not come as far as anyone knows
    assert ask() == 1
    assert [m.to_address for m in feedback_messages()] == [came.email]


@pytest.mark.parametrize("status", [RegistrationStatus.CANCELLED, RegistrationStatus.WAITLISTED])
def test_cancelled_and_waiting_people_are_not_asked(app, status):
    event = ended_event()
    register(event, status=status)
    assert ask() == 0


def test_nobody_is_asked_about_a_cancelled_event_or_one_switched_off(app):
    cancelled = ended_event(status=EventStatus.CANCELLED, cancellation_reason="Myrsky.")
    register(cancelled)
    off = ended_event()
    register(off)
    save_setting(setting_of(event_id=off.id), enabled=False, question=None)
    db.session.commit()
    assert ask() == 0


def test_erased_people_are_not_asked(app):
    event = ended_event()
    person = register(event)
    erase_personal_data(person.email)
    db.session.commit()
    assert ask() == 0


def test_asked_after_the_delay_and_not_about_old_events(app):
    app.config["HYTU_FEEDBACK_DELAY_HOURS"] = 2
    just_ended = ended_event(hours_ago=1.5)
    register(just_ended)
    long_ago = ended_event(hours_ago=24 * 15)  # past the link's 14 days
    register(long_ago)
    assert ask() == 0
    app.config["HYTU_FEEDBACK_DELAY_HOURS"] = 1
    assert ask() == 1


def test_the_request_is_in_the_participants_language(app):
    event = ended_event()
    swede = register(event)
    swede.language = Language.SV
    db.session.commit()
    ask()
    [message] = feedback_messages()
    assert message.subject == f"Respons: {event.title}"  # no Swedish title: the Finnish one
    assert link_in(message).endswith("?lang=sv")


def test_the_request_names_the_event_in_the_participants_language(app, client):
    event = ended_event()
    event.title_sv = "HYTU-klinik: Enare"
    swede = register(event)
    swede.language = Language.SV
    db.session.commit()
    ask()
    [message] = feedback_messages()
    assert message.subject == "Respons: HYTU-klinik: Enare"
    form = client.get(link_in(message)).text
    assert '<span class="subtitle">HYTU-klinik: Enare</span>' in form


def test_a_series_switched_off_asks_about_none_of_its_dates(app):
    series = coming_series(make_user(email="sarja@example.fi"), count=1)
    date = series.dates[0]
    length = date.ends_at - date.starts_at
    date.starts_at = utcnow() - timedelta(hours=5)
    date.ends_at = date.starts_at + length
    db.session.commit()
    register(date)
    save_setting(setting_of(series_id=series.id), enabled=False, question=None)
    db.session.commit()
    assert ask() == 0
    save_setting(setting_of(series_id=series.id), enabled=True, question=None)
    db.session.commit()
    assert ask() == 1
