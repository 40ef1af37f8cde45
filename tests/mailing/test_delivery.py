"""Delivery by one worker: nothing lost while the server is down, 5xx gives up, a crash repeats
the message it held (with the same Message-ID) once its lease runs out. Several workers at once,
an outage and a crash together: test_workers.py."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.mailing import sender
from hytu_events.mailing.models import MessageStatus
from hytu_events.mailing.sender import deliver_due, retry_delay
from tests.helpers import make_event
from tests.registrations.test_register_form import submit, valid_form

from .helpers import outbox, register_person
from .smtp import GreetingRefuser


def _message_ids(mailbox) -> Counter:
    return Counter(message["Message-ID"] for message in mailbox.messages())


def test_server_down_registration_succeeds_and_mail_waits_then_goes_once(
    app, client, smtp_server, mailbox
):
    event = make_event()
    smtp_server.stop()
    response = submit(client, event, valid_form(email="aino@example.fi"))
    assert response.status_code == 303  # registering does not need the mail server

    before = utcnow()
    report = deliver_due()
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    [row] = outbox()
    assert row.status is MessageStatus.QUEUED
    assert row.attempts == 1
    assert row.next_attempt_at > before
    assert "Connection" in row.last_error or "refused" in row.last_error

    # Still down a while later: the wait grows.
    second_try = row.next_attempt_at
    deliver_due(now=second_try)
    [row] = outbox()
    assert row.attempts == 2
    assert row.next_attempt_at - second_try == retry_delay(2) > retry_delay(1)

    register_person(event, 2)  # more mail piles up meanwhile
    smtp_server.start()
    later = row.next_attempt_at + timedelta(seconds=1)
    report = deliver_due(now=later)
    assert report.sent == 2
    assert deliver_due(now=later + timedelta(hours=2)).attempted == 0
    assert set(_message_ids(mailbox).values()) == {1}
    assert set(_message_ids(mailbox)) == {r.message_id for r in outbox()}
    assert all(r.status is MessageStatus.SENT for r in outbox())


def test_permanent_refusal_fails_after_the_configured_tries(app, mailbox):
    event = make_event()
    register_person(event, 1)
    mailbox.answer = "550 5.1.1 Mailbox unavailable"
    assert deliver_due().retrying == 1  # HYTU_MAIL_MAX_ATTEMPTS is 2 here
    [row] = outbox()
    assert row.status is MessageStatus.QUEUED and "550" in row.last_error
    assert deliver_due(now=row.next_attempt_at).failed == 1
    [row] = outbox()
    assert row.status is MessageStatus.FAILED and row.attempts == 2
    assert deliver_due(now=utcnow() + timedelta(days=1)).attempted == 0


def test_temporary_refusal_keeps_trying(app, mailbox):
    event = make_event()
    register_person(event, 1)
    mailbox.answer = "451 4.3.0 Try again later"
    now = utcnow()
    for attempt in range(1, 5):
        assert deliver_due(now=now).retrying == 1
        [row] = outbox()
        assert row.status is MessageStatus.QUEUED and row.attempts == attempt
        now = row.next_attempt_at
    mailbox.answer = None
    assert deliver_due(now=now).sent == 1
    assert len(mailbox.messages()) == 1


class _Crash(Exception):
    pass


def test_crash_after_sending_repeats_the_message_once_with_the_same_id(app, mailbox, monkeypatch):
    event = make_event()
    register_person(event, 1)
    [row] = outbox()

    def crash(message, now):
        raise _Crash("worker killed after the server said 250")

    with monkeypatch.context() as patch:
        patch.setattr(sender, "_mark_sent", crash)
        with pytest.raises(_Crash):
            deliver_due()
    db.session.rollback()
    assert len(mailbox.messages()) == 1
    [row] = outbox()
    assert row.status is MessageStatus.SENDING  # the claim was committed, "sent" was not

    # Another worker right away leaves it alone: the dead worker's lease still runs.
    assert deliver_due().attempted == 0
    lease_over = row.next_attempt_at + timedelta(seconds=1)
    assert deliver_due(now=lease_over).sent == 1
    assert deliver_due(now=lease_over + timedelta(hours=1)).attempted == 0

    ids = _message_ids(mailbox)
    assert ids == Counter({row.message_id: 2})  # one duplicate, recognisable as one
    raw = mailbox.received
    assert raw[0] == raw[1]  # byte for byte the same message


def test_a_refused_recipient_does_not_hold_up_the_others(app, mailbox):
    event = make_event()
    register_person(event, 1)
    register_person(event, 2)
    # 500 is the lowest permanent code: still "give up after the configured tries".
    mailbox.recipient_answers = {"kaisa1@example.fi": "500 5.1.3 Bad recipient address"}
    report = deliver_due()
    assert (report.sent, report.retrying, report.failed) == (1, 1, 0)
    refused, delivered = outbox()
    assert delivered.status is MessageStatus.SENT
    assert refused.status is MessageStatus.QUEUED
    assert "500" in refused.last_error and "Bad recipient address" in refused.last_error
    assert deliver_due(now=refused.next_attempt_at).failed == 1
    assert outbox()[0].status is MessageStatus.FAILED


def test_a_recipient_refused_for_now_is_tried_again_and_again(app, mailbox):
    event = make_event()
    register_person(event, 1)
    mailbox.recipient_answers = {"kaisa1@example.fi": "450 4.2.1 Mailbox busy"}
    now = utcnow()
    for attempt in range(1, 4):  # past HYTU_MAIL_MAX_ATTEMPTS (2)
        assert deliver_due(now=now).retrying == 1
        [row] = outbox()
        assert row.status is MessageStatus.QUEUED and row.attempts == attempt
        assert "450" in row.last_error
        now = row.next_attempt_at


def test_the_outbox_shows_the_servers_answer_as_text(app, mailbox):
    event = make_event()
    register_person(event, 1)
    mailbox.answer = "500 5.6.0 Message refused"
    deliver_due()
    [row] = outbox()
    assert row.last_error == "500 5.6.0 Message refused"
    assert deliver_due(now=row.next_attempt_at).failed == 1


def test_a_server_that_will_not_greet_stops_the_run_after_one_message(app, monkeypatch):
    event = make_event()
    register_person(event, 1)
    register_person(event, 2)
    refuser = GreetingRefuser("554 5.3.2 No service here")
    monkeypatch.setitem(app.config, "MAIL_PORT", refuser.port)
    try:
        report = deliver_due()
    finally:
        refuser.close()
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    first, second = outbox()
    assert first.status is MessageStatus.QUEUED
    assert first.last_error == "554 5.3.2 No service here"
    assert second.attempts == 0  # untouched: it waits for the next run
    assert refuser.connections == 1


def test_an_unreachable_server_is_named_in_the_outbox(app, smtp_server):
    event = make_event()
    register_person(event, 1)
    smtp_server.stop()
    deliver_due()
    [row] = outbox()
    assert row.last_error.startswith("ConnectionRefusedError: ")
