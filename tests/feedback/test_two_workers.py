"""Two mail workers asking for feedback at the same moment still ask each person once.

Each worker is an app, engine and session of its own in a thread of its own (as in
tests/mailing/test_workers.py). Both read who is due before either writes, so both go for
the same people: the request row's unique registration lets one of them through per person.
"""

from __future__ import annotations

import threading
from collections import Counter

from hytu_events.extensions import db
from hytu_events.feedback import asking
from hytu_events.feedback.answering import Answer, record_answer
from hytu_events.feedback.models import FeedbackRequest
from hytu_events.registrations.models import Registration
from tests.mailing.test_workers import at_once, workers  # noqa: F401 - the fixture
from tests.plan.helpers import register

from .helpers import answers_of, ended_event, feedback_messages, requests_of


def test_two_workers_at_once_ask_each_participant_once(app, workers, monkeypatch):  # noqa: F811
    event = ended_event()
    people = [register(event) for _ in range(6)]
    both_read = threading.Barrier(2)
    seen: list[int] = []
    real_due = asking.due_for_feedback

    def due_then_wait(now):
        due = real_due(now)
        seen.append(len(due))
        both_read.wait(timeout=30)  # neither writes before both have read
        return due

    monkeypatch.setattr(asking, "due_for_feedback", due_then_wait)
    first, second = workers("first", "second")

    def round_():
        asked = asking.send_feedback_requests()
        db.session.commit()  # the worker's own session (its app context)
        return asked

    results = at_once([first, second], round_)
    assert seen == [6, 6], "both workers should have found everyone due"
    assert all(isinstance(asked, int) for asked in results.values()), results
    assert sum(results.values()) == 6, results
    sent_to = Counter(message.to_address for message in feedback_messages())
    assert sent_to == Counter(person.email for person in people)
    assert len(requests_of(event)) == 6


def test_two_answers_sent_at_once_through_one_link_store_one(app, workers):  # noqa: F811
    """Two tabs (two server processes) send the form at the same moment: the request row's
    lock lets the first through, and the second finds it answered."""
    event = ended_event()
    person = register(event)
    request = FeedbackRequest(registration_id=person.id, event_id=event.id)
    db.session.add(request)
    db.session.commit()
    request_id, person_id = request.id, person.id

    def answer():
        row = db.session.get(FeedbackRequest, request_id)
        stored = record_answer(row, db.session.get(Registration, person_id), Answer(4))
        db.session.commit()
        return stored

    results = at_once(workers("tab one", "tab two"), answer)
    assert sorted(results.values()) == [False, True], results
    assert len(answers_of(event)) == 1
