"""A coordinator turns feedback off, or adds a question, for an event or a series."""

from __future__ import annotations

from hytu_events.accounts.models import Role
from hytu_events.feedback.switches import feedback_enabled, own_question
from tests.accounts.helpers import log_in, make_user
from tests.helpers import page_text, post_form
from tests.series.registering import coming_series

from .helpers import ended_event


def test_the_event_page_switches_feedback_off_and_says_so_in_the_history(app, client):
    event = ended_event()
    log_in(client, make_user(Role.COORDINATOR, email="koordinaattori@example.fi"))
    url = f"/admin/events/{event.id}/feedback?lang=en"
    saved = post_form(client, url, {"question": "Mitä toivot seuraavaksi?"})  # box unticked
    assert saved.status_code == 303
    assert not feedback_enabled(event)
    assert own_question(event) == "Mitä toivot seuraavaksi?"
    history = page_text(client.get(f"/admin/events/{event.id}?lang=en").text)
    assert "Feedback settings changed" in history


def test_a_series_question_is_asked_at_every_date_unless_a_date_has_its_own(app, client):
    coordinator = make_user(Role.COORDINATOR, email="sarjat@example.fi")
    series = coming_series(coordinator, count=2)
    log_in(client, coordinator)
    url = f"/admin/series/{series.id}/feedback?lang=en"
    assert post_form(client, url, {"enabled": "y", "question": "Sarjan kysymys"}).status_code == 303
    first, second = series.dates
    post_form(client, f"/admin/events/{second.id}/feedback", {"enabled": "y", "question": "Oma"})
    assert own_question(first) == "Sarjan kysymys"
    assert own_question(second) == "Oma"
    assert feedback_enabled(first) and feedback_enabled(second)


def test_a_question_too_long_is_refused_at_the_field(app, client):
    event = ended_event()
    log_in(client, make_user(Role.COORDINATOR, email="k2@example.fi"))
    refused = post_form(
        client, f"/admin/events/{event.id}/feedback?lang=en", {"question": "x" * 301}
    )
    assert refused.status_code == 422
    assert 'id="error-summary"' in refused.text
    assert own_question(event) is None
