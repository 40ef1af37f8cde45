"""What `register` stores of the form: every detail given, needs only where the event asks for
them, and the moment the caller names (tests from the mutation run's survivors)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.registrations.operations import register
from tests.helpers import make_event
from tests.registrations.people import details


def _place(event, **kwargs):
    person = replace(
        details("Aino Aikio", "aino@example.fi", needs="Gluteeniton ruokavalio"),
        job_title="HYTE-koordinaattori",
    )
    outcome = register(event.id, person, **kwargs)
    db.session.commit()
    db.session.expire_all()
    return outcome.registration


def test_the_job_title_and_the_needs_asked_for_are_stored(app):
    registration = _place(make_event(asks_for_needs=True))
    assert registration.job_title == "HYTE-koordinaattori"
    assert registration.needs == "Gluteeniton ruokavalio"


def test_needs_are_not_stored_for_an_event_that_does_not_ask_for_them(app):
    """A form that posts them anyway (the field is not on the page) leaves nothing behind."""
    registration = _place(make_event(asks_for_needs=False))
    assert registration.needs is None


def test_the_place_is_dated_at_the_moment_the_caller_names(app):
    moment = (utcnow() - timedelta(hours=3)).replace(microsecond=0)
    registration = _place(make_event(), now=moment)
    assert registration.created_at == moment
    assert registration.consent_at == moment
