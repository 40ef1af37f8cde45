"""A coordinator sends a participant their self-service link again (nobody may read it here)."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.registrations.cancellation import cancel_registration
from tests.accounts.helpers import audit_entries
from tests.helpers import csrf_token, make_event, page_text
from tests.leaks import decoded_parts, leaked, secrets_of
from tests.registrations.people import register_person


def _messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _button_form(page: str, registration_id: int) -> tuple[str, str]:
    """(action, CSRF token) of the participant's "Send their link again" form."""
    action = f"/admin/registrations/{registration_id}/send-link"
    form = re.search(rf'<form method="post" action="{action}".*?</form>', page, re.S)
    assert form, "the participant's row offers to send the link"
    return action, csrf_token(form.group(0))


def test_coordinator_sends_a_working_link_and_sees_none(app, staff):
    event = make_event()
    person = register_person(event, "Päivi Pelastaja", "paivi@example.fi")
    before = len(_messages())
    page = staff.get(f"/admin/events/{event.id}/participants?lang=en")
    assert "Send their link again" in page.text
    action, token = _button_form(page.text, person.id)

    response = staff.post(action, data={"csrf_token": token})
    assert response.status_code == 303
    done = staff.get(response.headers["Location"] + "?lang=en")
    assert "The self-service link is on its way to paivi@example.fi." in page_text(done.text)

    [message] = _messages()[before:]
    assert message.kind is MessageKind.LINK_RESEND and message.to_address == "paivi@example.fi"
    [link] = set(re.findall(r"http://hytu\.test(/r/[^\s\"<]+)", decoded_parts(message.mime)))
    participant = app.test_client()  # not logged in: the link alone opens the page
    opened = participant.get(link + "?lang=en")
    assert opened.status_code == 200
    assert event.title in page_text(opened.text) and "Your place is confirmed" in opened.text

    [entry] = audit_entries("registration.link_sent")
    assert (entry.target_type, entry.target_id, entry.event_id) == (
        "registration",
        person.id,
        event.id,
    )
    logged = json.dumps([entry.before, entry.after, entry.action, entry.target_type])
    assert not leaked(logged.encode(), secrets_of([person]))
    history = staff.get(f"/admin/events/{event.id}?lang=en")
    assert "Self-service link sent again" in page_text(history.text)
    assert not leaked(history.data, secrets_of([person]))
    assert not leaked(staff.get(f"/admin/outbox/{message.id}").data, secrets_of([person]))


def test_viewer_may_not_send_and_sees_no_button(app, viewer_client):
    event = make_event()
    person = register_person(event, "Päivi Pelastaja", "paivi@example.fi")
    before = len(_messages())
    page = viewer_client.get(f"/admin/events/{event.id}/participants?lang=en")
    assert page.status_code == 200 and "Send their link again" not in page.text
    response = viewer_client.post(
        f"/admin/registrations/{person.id}/send-link", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 403
    assert len(_messages()) == before and audit_entries("registration.link_sent") == []


def test_without_the_form_token_or_for_a_cancelled_place_nothing_is_sent(app, staff):
    event = make_event()
    person = register_person(event, "Päivi Pelastaja", "paivi@example.fi")
    page = staff.get(f"/admin/events/{event.id}/participants?lang=en")
    action, token = _button_form(page.text, person.id)
    assert staff.post(action).status_code == 400  # no CSRF token

    cancel_registration(person.id)
    db.session.commit()
    before = len(_messages())
    refused = staff.post(action + "?lang=en", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "This registration is cancelled or erased" in page_text(refused.text)
    assert len(_messages()) == before and audit_entries("registration.link_sent") == []
    assert (
        staff.post("/admin/registrations/999999/send-link", data={"csrf_token": token}).status_code
        == 404
    )
