"""A message that cannot be built never takes the action down with it: the outbox records it
as failed, with the reason, and everyone else's mail goes out as usual."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from hytu_events.events.models import Event, EventStatus
from hytu_events.extensions import db
from hytu_events.mailing import content, messages, notify
from hytu_events.mailing import outbox as outbox_module
from hytu_events.mailing.models import MessageKind, MessageStatus
from hytu_events.mailing.sender import deliver_due
from hytu_events.models import Registration, RegistrationStatus, Role
from tests.accounts.helpers import log_in, make_user
from tests.helpers import csrf_token, make_event, page_text, post_form
from tests.registrations.test_register_form import submit, valid_form

from .helpers import outbox, register_person, to_address

BROKEN = "rikki@example.fi"


class Broken(Exception):
    pass


def _break_rendering(monkeypatch):
    render = content.MailContent.render

    def failing(self):
        if "Rikki" in self.greeting:
            raise Broken("template blew up")
        return render(self)

    monkeypatch.setattr(content.MailContent, "render", failing)


def _break_calendar(monkeypatch):
    invitation = notify.invitation

    def failing(event, registration, *args, **kwargs):
        if registration.email == BROKEN:
            raise Broken("calendar blew up")
        return invitation(event, registration, *args, **kwargs)

    monkeypatch.setattr(notify, "invitation", failing)


def _break_mime(monkeypatch):
    build_mime = messages.build_mime

    def failing(**kwargs):
        if kwargs["to_address"] == BROKEN:
            raise Broken("MIME blew up")
        return build_mime(**kwargs)

    monkeypatch.setattr(outbox_module, "build_mime", failing)


#: Each stage at which building one person's message can fail.
STAGES = {"rendering": _break_rendering, "calendar": _break_calendar, "mime": _break_mime}


@pytest.fixture(params=list(STAGES))
def broken_stage(request, monkeypatch):
    STAGES[request.param](monkeypatch)
    return request.param


def _reason(stage: str) -> str:
    return {"rendering": "template", "calendar": "calendar", "mime": "MIME"}[stage]


def _coordinator(client):
    log_in(client, make_user(Role.COORDINATOR, email="koordinaattori@example.fi"))


def test_registering_succeeds_and_the_unbuilt_message_is_recorded(
    app, client, mailbox, broken_stage, caplog
):
    event = make_event(capacity=5)
    with caplog.at_level(logging.ERROR):
        response = submit(client, event, valid_form(name="Rikki Rakentaja", email=BROKEN))
    assert response.status_code == 303  # registered, not a 500
    db.session.expire_all()
    [registration] = db.session.scalars(sa.select(Registration)).all()
    assert registration.status is RegistrationStatus.CONFIRMED  # the seat is taken
    [row] = outbox()
    assert row.status is MessageStatus.FAILED and row.kind is MessageKind.CONFIRMATION
    assert row.to_address == BROKEN and row.registration_id == registration.id
    assert "could not be built" in row.last_error and _reason(broken_stage) in row.last_error
    assert any("could not be built" in r.getMessage() for r in caplog.records)
    assert BROKEN not in caplog.text  # the log names the row, not the person

    # Nothing to deliver, and it cannot be "sent again": there are no bytes.
    assert deliver_due().attempted == 0
    assert mailbox.messages() == []
    _coordinator(client)
    listing = page_text(client.get("/admin/outbox?status=failed&lang=en").text)
    assert BROKEN in listing and "could not be built" in listing
    page = client.get(f"/admin/outbox/{row.id}?lang=en")
    assert page.status_code == 200 and "Send again" not in page.text
    refused = client.post(
        f"/admin/outbox/{row.id}/retry?lang=en",
        data={"csrf_token": csrf_token(page.text)},
        follow_redirects=True,
    )
    assert "could not be built, so there is nothing to send again" in page_text(refused.text)
    assert outbox()[0].status is MessageStatus.FAILED


# A coordinator's message carries no calendar: only the other two stages apply.
@pytest.mark.parametrize("stage", ["rendering", "mime"])
def test_a_message_to_many_goes_to_everyone_it_can_be_built_for(
    app, client, mailbox, monkeypatch, stage
):
    event = make_event(capacity=5)
    register_person(event, 1)
    register_person(event, 2)
    STAGES[stage](monkeypatch)
    submit(client, event, valid_form(name="Rikki Rakentaja", email=BROKEN))
    deliver_due()
    mailbox.clear()
    _coordinator(client)

    response = post_form(
        client,
        f"/admin/events/{event.id}/message?lang=en",
        {"audience": "confirmed", "subject": "Ennakkotehtävä", "body": "Hei!"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    text = page_text(response.text)
    assert "The message was queued for 2 recipients." in text
    assert "The message to 1 recipient could not be built; the outbox says why." in text
    rows = outbox(MessageKind.COORDINATOR_MESSAGE)
    assert {r.to_address: r.status for r in rows} == {
        "kaisa1@example.fi": MessageStatus.QUEUED,
        "kaisa2@example.fi": MessageStatus.QUEUED,
        BROKEN: MessageStatus.FAILED,
    }
    assert deliver_due().failed == 0
    assert sorted(to_address(m) for m in mailbox.messages()) == [
        "kaisa1@example.fi",
        "kaisa2@example.fi",
    ]


def test_cancelling_an_event_succeeds_whoever_cannot_be_written_to(
    app, client, mailbox, broken_stage
):
    event = make_event(capacity=5)
    register_person(event, 1)
    submit(client, event, valid_form(name="Rikki Rakentaja", email=BROKEN))
    _coordinator(client)
    response = post_form(
        client, f"/admin/events/{event.id}/cancel?lang=en", {"reason": "Kouluttaja sairastui."}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, event.id).status is EventStatus.CANCELLED
    cancellations = {r.to_address: r for r in outbox(MessageKind.CANCELLATION)}
    assert cancellations[BROKEN].status is MessageStatus.FAILED
    assert cancellations["kaisa1@example.fi"].status is MessageStatus.QUEUED
    deliver_due()
    assert [to_address(m) for m in mailbox.messages() if "Kouluttaja" in m.as_string()] == [
        "kaisa1@example.fi"
    ]
