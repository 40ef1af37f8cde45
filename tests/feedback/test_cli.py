"""`flask feedback send`, and the mail worker's round that does the same on schedule."""

from __future__ import annotations

from hytu_events.db.types import utcnow
from hytu_events.mailing.rounds import round_jobs
from tests.plan.helpers import register

from .helpers import ended_event, feedback_messages


def test_send_asks_once_and_says_how_many(app):
    event = ended_event()
    register(event)
    register(event)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["feedback", "send"])
    assert first.exit_code == 0, first.output
    assert "Feedback requests queued: 2." in first.output
    again = runner.invoke(args=["feedback", "send"])
    assert "Feedback requests queued: 0." in again.output
    assert len(feedback_messages()) == 2


def test_a_time_that_is_not_one_ends_with_status_2(app):
    runner = app.test_cli_runner()
    for bad in ("yesterday", "2026-12-01T18:00"):
        result = runner.invoke(args=["feedback", "send", "--now", bad])
        assert result.exit_code == 2
        assert "--now" in result.output and "Traceback" not in result.output


def test_the_mail_worker_asks_in_its_rounds(app):
    event = ended_event()
    register(event)
    [job] = [job for job in round_jobs() if job.label == "Feedback requests queued"]
    assert job.run(utcnow()) == 1
    assert job.run(utcnow()) == 0
