"""What one round of the sender reports and takes: every message counted, at most 100 a round,
and a server's answer in another encoding still readable in the outbox."""

from __future__ import annotations

from hytu_events.mailing.models import MessageStatus
from hytu_events.mailing.sender import deliver_due
from tests.helpers import make_event

from .helpers import outbox, register_person
from .smtp import GreetingRefuser


def test_every_message_refused_for_now_is_counted(app, mailbox):
    event = make_event()
    register_person(event, 1)
    register_person(event, 2)
    mailbox.recipient_answers = {
        "kaisa1@example.fi": "450 4.2.1 Mailbox busy",
        "kaisa2@example.fi": "451 4.3.0 Try again later",
    }
    report = deliver_due()
    assert (report.sent, report.retrying, report.failed) == (0, 2, 0)


def test_a_round_takes_at_most_100_messages_and_leaves_the_rest_waiting(app, mailbox):
    event = make_event(capacity=None)
    for n in range(101):
        register_person(event, n)
    assert deliver_due().sent == 100
    waiting = [row for row in outbox() if row.status is MessageStatus.QUEUED]
    assert len(waiting) == 1 and waiting[0].attempts == 0
    assert deliver_due().sent == 1


def test_an_answer_in_another_encoding_is_shown_readable(app, monkeypatch):
    register_person(make_event(), 1)
    # Latin-1, not UTF-8: "Palvelu ei ole käytettävissä".
    refuser = GreetingRefuser("554 Palvelu ei ole käytettävissä".encode("latin-1"))
    monkeypatch.setitem(app.config, "MAIL_PORT", refuser.port)
    try:
        report = deliver_due()
    finally:
        refuser.close()
    assert report.retrying == 1
    [row] = outbox()
    assert row.status is MessageStatus.QUEUED
    assert row.last_error == "554 Palvelu ei ole k\ufffdytett\ufffdviss\ufffd"
