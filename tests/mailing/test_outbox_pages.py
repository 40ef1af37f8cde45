"""The coordinator's outbox and message pages, and `flask mail`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from flask import current_app

from hytu_events.accounts.models import Role
from hytu_events.accounts.operations import create_user
from hytu_events.config import PROJECT_ROOT
from hytu_events.db.types import utcnow
from hytu_events.events.models import EventStatus
from hytu_events.extensions import db
from hytu_events.feedback import asking as feedback_asking
from hytu_events.mailing import notify
from hytu_events.mailing.cli import mail_group
from hytu_events.mailing.models import MessageKind, MessageStatus
from hytu_events.mailing.reminders import enqueue_reminders
from hytu_events.registrations.cancellation import cancel_registration
from hytu_events.registrations.link_requests import answer_link_requests, note_link_request
from hytu_events.registrations.models import Registration
from tests.helpers import csrf_token, field_error, make_event, page_text, post_form
from tests.leaks import decoded_parts, leaked, secrets_of
from tests.plan.helpers import register as register_held

from .helpers import outbox, register_person

PASSWORD = "pitkä salasana 2026"


def _log_in(client, role: Role) -> None:
    email = f"{role.value}@lapinliitto.fi"
    create_user(email=email, name=f"Käyttäjä {role.value}", role=role, password=PASSWORD)
    db.session.commit()
    response = post_form(client, "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.status_code


def _failed_message():
    event = make_event()
    register_person(event, 1)
    [row] = outbox()
    row.status = MessageStatus.FAILED
    row.attempts = 2
    row.last_error = "550 5.1.1 Mailbox unavailable"
    db.session.commit()
    return row


def test_anonymous_visitors_are_sent_to_log_in(app, client):
    row = _failed_message()
    for url in ("/admin/outbox", f"/admin/outbox/{row.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    retry = f"/admin/outbox/{row.id}/retry?lang=en"
    # Without a token the CSRF check refuses before anything else looks at the request...
    forged = client.post(retry)
    assert forged.status_code == 400
    assert "The form had expired or was sent from another page" in page_text(forged.text)
    # ...and with a valid one (any page's form gives one), the login check sends them away.
    token = csrf_token(client.get("/login").text)
    response = client.post(retry, data={"csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert outbox()[0].status is MessageStatus.FAILED


def test_viewer_sees_the_outbox_and_the_text_but_cannot_retry(app, client):
    row = _failed_message()
    _log_in(client, Role.VIEWER)
    listing = client.get("/admin/outbox?status=failed&lang=en")
    assert listing.status_code == 200
    text = page_text(listing.text)
    assert "kaisa1@example.fi" in text and "550 5.1.1 Mailbox unavailable" in text
    assert client.get("/admin/outbox?status=sent").status_code == 200
    assert "kaisa1@example.fi" not in page_text(client.get("/admin/outbox?status=sent").text)
    assert client.get("/admin/outbox?status=nonsense").status_code == 400

    page = client.get(f"/admin/outbox/{row.id}?lang=en")
    assert page.status_code == 200
    text = page_text(page.text)
    assert "[personal link]" in text and "/r/" not in text  # the text, its links hidden
    assert "Send again" not in page.text
    response = client.post(
        f"/admin/outbox/{row.id}/retry", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 403
    assert outbox()[0].status is MessageStatus.FAILED
    assert client.get("/admin/outbox/999999").status_code == 404


def _full_cycle() -> list[Registration]:
    """Every kind of message a participant gets, for two people: confirmed, waiting list, a
    place freed and given on, a reminder, links asked for again (twice), a coordinator's
    note, the event moved, the event cancelled, and a feedback request after another one."""
    event = make_event(capacity=1, online_url="https://teams.example.fi/huone")
    first, second = register_person(event, 1), register_person(event, 2)
    cancel_registration(first.id)  # second gets the place
    db.session.commit()
    current_app.config["HYTU_REMINDER_HOURS"] = 24 * 30
    assert enqueue_reminders() == 1
    note_link_request(second.email)
    answer_link_requests()
    register_person(event, 2)  # registering again mails the link to the address owner
    notify.send_coordinator_message(event, notify.Audience.CONFIRMED, "Tervetuloa", "Hei!")
    event.revision += 1
    notify.notify_event_changed(event)
    event.status, event.cancellation_reason = EventStatus.CANCELLED, "Sairastuminen"
    notify.notify_event_cancelled(event)
    held = make_event(title="Pidetty klinikka", starts_at=utcnow() - timedelta(days=1))
    feedback_asking.ask(register_held(held, email="kaisa3@example.fi"))
    db.session.commit()
    return [first, second]


def test_no_role_reads_a_personal_link_in_any_message(app, client):
    people = _full_cycle()
    secrets = secrets_of(people)
    rows = outbox()
    assert {row.kind for row in rows} == set(MessageKind)
    stored = "\n".join(decoded_parts(row.mime) for row in rows)
    # Signed with the time, so read from the message rather than made again.
    secrets["feedback token"] = re.search(r"/feedback/([^?\s]+)", stored).group(1)
    for name in ("self-service token", "feed token"):
        for person in people:
            assert secrets[f"{name} of {person.email}"] in stored  # the mail does carry them

    for role in (Role.VIEWER, Role.COORDINATOR, Role.ADMIN):
        visitor = app.test_client()
        _log_in(visitor, role)
        listing = visitor.get("/admin/outbox")
        assert listing.status_code == 200 and not leaked(listing.data, secrets)
        for row in rows:
            page = visitor.get(f"/admin/outbox/{row.id}")
            assert page.status_code == 200
            assert not leaked(page.data, secrets), (role, row.kind, leaked(page.data, secrets))
            assert not re.search(r"/r/\w", page.text), "no self-service address at all"
            assert "/calendar/personal/" not in page.text
            assert "[henkilökohtainen linkki]" in page_text(page.text), row.kind


def test_coordinator_retries_a_failed_message(app, client, mailbox):
    row = _failed_message()
    _log_in(client, Role.COORDINATOR)
    page = client.get(f"/admin/outbox/{row.id}?lang=en")
    assert "Send again" in page.text
    response = client.post(
        f"/admin/outbox/{row.id}/retry", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 303
    [row] = outbox()
    assert row.status is MessageStatus.QUEUED and row.attempts == 0
    runner = app.test_cli_runner()
    result = runner.invoke(mail_group, ["send"])
    assert result.exit_code == 0 and "Sent: 1" in result.output
    assert [m["Message-ID"] for m in mailbox.messages()] == [row.message_id]


def test_coordinator_writes_to_the_waiting_list(app, client, mailbox):
    event = make_event(capacity=1)
    register_person(event, 1)
    register_person(event, 2)
    register_person(event, 3)
    _log_in(client, Role.COORDINATOR)
    url = f"/admin/events/{event.id}/message?lang=en"

    empty = post_form(client, url, {"audience": "waitlisted", "subject": "", "body": ""})
    assert empty.status_code == 422
    assert field_error(empty.text, "subject") == "Write a subject."
    assert len(outbox(MessageKind.COORDINATOR_MESSAGE)) == 0

    sent = post_form(
        client, url, {"audience": "waitlisted", "subject": "Jonotilanne", "body": "Hei jonossa!"}
    )
    assert sent.status_code == 303
    rows = outbox(MessageKind.COORDINATOR_MESSAGE)
    assert sorted(r.to_address for r in rows) == ["kaisa2@example.fi", "kaisa3@example.fi"]
    assert client.get("/admin/events/999999/message").status_code == 404


def test_viewer_cannot_write_to_participants(app, client):
    event = make_event()
    _log_in(client, Role.VIEWER)
    assert client.get(f"/admin/events/{event.id}/message").status_code == 403


def test_mail_send_without_a_server_keeps_everything(app):
    event = make_event()
    register_person(event, 1)
    app.config["MAIL_SERVER"] = ""
    result = app.test_cli_runner().invoke(mail_group, ["send"])
    assert result.exit_code == 0
    assert "No SMTP server configured" in result.output and "1 message" in result.output
    assert outbox()[0].status is MessageStatus.QUEUED and outbox()[0].attempts == 0


def test_worker_delivers_and_stops_cleanly_on_sigterm(app, smtp_server, mailbox):
    event = make_event()
    register_person(event, 1)
    [row] = outbox()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "BASE_URL": app.config["BASE_URL"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "hytu_events",
            "mail",
            "worker",
            "--interval",
            "0.2",
        ],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not mailbox.messages() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [m["Message-ID"] for m in mailbox.messages()] == [row.message_id]
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert b"Mail worker stopped." in output
    db.session.expire_all()
    assert outbox()[0].status is MessageStatus.SENT


@pytest.fixture(autouse=True)
def _no_login_throttle(app):
    app.config["RATELIMIT_ENABLED"] = False
