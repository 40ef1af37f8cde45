"""Answers are anonymous to coordinators: after a known person answers, no back-office page
shows their name or address next to what they said; erasing the person keeps the answer."""

from __future__ import annotations

import pytest

from hytu_events.accounts.models import Role
from hytu_events.extensions import db
from hytu_events.feedback.models import FeedbackRequest
from hytu_events.registrations.personal_data import erase_personal_data, export_personal_data
from tests.accounts.helpers import log_in, make_user
from tests.helpers import csrf_token
from tests.leaks import readable
from tests.plan.helpers import measure, register
from tests.test_authorisation import objects  # noqa: F401 - the fixture
from tests.test_secret_links import _every_url

from .helpers import answers_of, ask, ended_event, feedback_messages, link_in, requests_of

NAME, EMAIL = "Ilona Vastaaja", "ilona.vastaaja@example.fi"
SAID = "Otamme turvallisuuskävelyn käyttöön Inarissa"


@pytest.fixture
def answered(app, client):
    event = ended_event()
    register(event, name=NAME, email=EMAIL)
    ask()
    [message] = feedback_messages()
    link = link_in(message)
    page = client.get(link)
    data = {"csrf_token": csrf_token(page.text), "usefulness": "5", "take_forward": SAID}
    for code in ("T1", "T2"):
        data[f"measure_{measure(code).id}"] = "partly"
    assert client.post(link, data=data).status_code == 303
    return event


def test_no_back_office_page_shows_the_answer_with_a_name(app, client, answered, objects):  # noqa: F811
    """Every GET page of the back office, as an admin, for the answered event among the
    others: a page that shows what was said shows neither the name nor the address (the
    participant list shows the name, and no answer)."""
    objects["event_id"] = [answered.id, *objects["event_id"]]
    log_in(client, make_user(Role.ADMIN, email="admin-walk@example.fi"))
    showing, problems = [], []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, "required_role", None) is None or "GET" not in rule.methods:
            continue
        for url in _every_url(app, rule, objects):
            response = client.get(url)
            assert response.status_code < 500, url
            body = readable(response.data).decode("utf-8", "replace")
            if SAID in body:
                showing.append(url)
                if NAME in body or EMAIL in body:
                    problems.append(url)
    assert f"/admin/events/{answered.id}/outcome" in showing
    assert f"/admin/events/{answered.id}/feedback" in showing
    assert not problems, problems


def test_erasing_the_person_keeps_the_answer_and_cuts_the_request(app, answered):
    event = answered
    exported = export_personal_data(EMAIL)
    assert exported["feedback"] == [
        {
            "event": {"id": event.id, "title": event.title},
            "asked": True,
            "answered": True,
            "note": "Answers are stored without your name or registration.",
        }
    ]
    assert SAID not in str(exported)  # the answer is not theirs to find
    erase_personal_data(EMAIL)
    db.session.commit()
    [request] = requests_of(event)
    assert request.registration_id is None and request.answered
    assert [a.take_forward for a in answers_of(event)] == [SAID]
    assert db.session.scalar(db.select(db.func.count()).select_from(FeedbackRequest)) == 1
