"""Every mail path with an internationalised address, against a real SMTP server that offers
SMTPUTF8 and one that does not.

The rule: a non-ASCII local part (`lauri.jääskö@example.fi`) goes out over SMTPUTF8 with
UTF-8 headers (RFC 6531/6532); a server without SMTPUTF8 fails *that message*, at once and
with the reason, and the action that sent it has succeeded all the same. An IDN domain with
an ASCII local part (`anna@tähti.example`) goes as A-labels: plain 7-bit mail any server
takes. The ASCII participant beside them gets the same 7-bit mail as always.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes, message_from_string, policy

import pytest
import sqlalchemy as sa
import vobject
from flask.testing import FlaskClient

from hytu_events.db.types import utcnow
from hytu_events.email_addresses import needs_smtputf8, wire_address
from hytu_events.events import operations
from hytu_events.events.models import Event, EventStatus
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, MessageStatus, OutboxMessage
from hytu_events.mailing.reminders import enqueue_reminders
from hytu_events.mailing.sender import deliver_due
from hytu_events.models import Registration, RegistrationStatus, Role
from hytu_events.registrations.link_requests import answer_link_requests
from hytu_events.registrations.seats import free_seats
from hytu_events.registrations.tokens import self_service_token
from tests.accounts.helpers import log_in, make_user
from tests.calendar.parsers import assert_wire_format, icaljs
from tests.helpers import csrf_token, make_event, page_text, post_form
from tests.registrations.test_register_form import submit, valid_form
from tests.registrations.test_self_service import person

from .helpers import calendar_bytes, tree, vevent_of

ASCII = "kaisa@example.fi"
#: The international address under test, by kind.
ADDRESSES = {"eai": "lauri.jääskö@example.fi", "idn": "anna@tähti.example"}
NAMES = {
    "lauri.jääskö@example.fi": "Lauri Jääskö",
    "anna@tähti.example": "Anna Tähti",
    ASCII: "Kaisa Keskitalo",
}


@dataclass
class Scene:
    """One run of a path: the event, and the two people it mails (international first)."""

    client: FlaskClient
    event: Event
    recipients: tuple[str, str]

    def place(self, email: str, event: Event | None = None) -> Registration:
        """A place taken through the registration operation (not the path under test)."""
        from hytu_events.registrations.operations import register

        event = event or self.event
        registration = register(
            event.id, person(name=NAMES.get(email, "Eka Ensimmäinen"), email=email)
        ).registration
        db.session.commit()
        return registration

    def places(self) -> list[Registration]:
        return [self.place(email) for email in self.recipients]

    def status(self, email: str) -> RegistrationStatus:
        db.session.expire_all()
        return db.session.scalars(
            sa.select(Registration.status)
            .where(Registration.email == email, Registration.event_id == self.event.id)
            .order_by(Registration.id.desc())
        ).first()


def _log_in_coordinator(scene: Scene) -> None:
    log_in(scene.client, make_user(Role.COORDINATOR, email="koordinaattori@example.fi"))


def _participants_token(scene: Scene) -> str:
    return csrf_token(scene.client.get(f"/admin/events/{scene.event.id}/participants").text)


# Each path does what a person or a coordinator does, and checks that it succeeded.


def register_on_the_form(scene: Scene) -> None:
    for email in scene.recipients:
        response = submit(scene.client, scene.event, valid_form(name=NAMES[email], email=email))
        assert response.status_code == 303
        assert scene.status(email) is RegistrationStatus.CONFIRMED


def register_on_a_full_event(scene: Scene) -> None:
    scene.event.capacity = 1
    db.session.commit()
    scene.place("eka@example.fi")
    for email in scene.recipients:
        response = submit(scene.client, scene.event, valid_form(name=NAMES[email], email=email))
        assert response.status_code == 303
        assert scene.status(email) is RegistrationStatus.WAITLISTED


def get_a_place_from_the_waiting_list(scene: Scene) -> None:
    scene.event.capacity = 2
    db.session.commit()
    first = [scene.place("eka@example.fi"), scene.place("toka@example.fi")]
    scene.places()
    for registration in first:  # two cancel: the two waiting move up
        url = f"/r/{self_service_token(registration)}/cancel?lang=en"
        assert post_form(scene.client, url, {}).status_code == 303
    for email in scene.recipients:
        assert scene.status(email) is RegistrationStatus.CONFIRMED


def event_moved(scene: Scene) -> None:
    scene.places()
    event = scene.event
    names = [f.name for f in dataclasses.fields(operations.EventDetails)]
    details = operations.EventDetails(**{name: getattr(event, name) for name in names})
    new_start = event.starts_at + timedelta(hours=1)
    operations.update_event(event.id, dataclasses.replace(details, starts_at=new_start))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Event, event.id).starts_at == new_start


def event_cancelled_by_coordinator(scene: Scene) -> None:
    scene.places()
    _log_in_coordinator(scene)
    url = f"/admin/events/{scene.event.id}/cancel?lang=en"
    assert post_form(scene.client, url, {"reason": "Kouluttaja sairastui."}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, scene.event.id).status is EventStatus.CANCELLED


def reminder_before_the_event(scene: Scene) -> None:
    scene.event.starts_at = utcnow().replace(microsecond=0) + timedelta(hours=20)
    scene.event.ends_at = scene.event.starts_at + timedelta(hours=2)
    db.session.commit()
    scene.places()
    assert enqueue_reminders() == 2
    db.session.commit()


def coordinator_writes_to_participants(scene: Scene) -> None:
    scene.places()
    _log_in_coordinator(scene)
    url = f"/admin/events/{scene.event.id}/message?lang=en"
    data = {"audience": "confirmed", "subject": "Ennakkotehtävä", "body": "Hei!"}
    assert post_form(scene.client, url, data).status_code == 303


def ask_for_the_links_again(scene: Scene) -> None:
    scene.places()
    for email in scene.recipients:
        response = post_form(scene.client, "/r/?lang=en", {"email": email.upper()})
        assert response.status_code == 200
    # The form only notes the request; the mail worker answers it before its delivery round.
    assert answer_link_requests() == len(scene.recipients)
    db.session.commit()


def participant_cancels(scene: Scene) -> None:
    scene.event.capacity = 2
    db.session.commit()
    registrations = scene.places()
    scene.place("jono@example.fi")  # waiting for a freed seat
    for registration in registrations:
        url = f"/r/{self_service_token(registration)}/cancel?lang=en"
        assert post_form(scene.client, url, {}).status_code == 303
    for email in scene.recipients:
        assert scene.status(email) is RegistrationStatus.CANCELLED
    assert scene.status("jono@example.fi") is RegistrationStatus.CONFIRMED  # the seat went on
    assert free_seats(scene.event) == 1


def coordinator_cancels_a_registration(scene: Scene) -> None:
    registrations = scene.places()
    _log_in_coordinator(scene)
    token = _participants_token(scene)
    for registration in registrations:
        url = f"/admin/registrations/{registration.id}/cancel"
        assert scene.client.post(url, data={"csrf_token": token}).status_code == 303
    for email in scene.recipients:
        assert scene.status(email) is RegistrationStatus.CANCELLED


@dataclass(frozen=True)
class MailPath:
    act: Callable[[Scene], None]
    kind: MessageKind
    #: METHOD of the attached invitation, None for plain mail.
    calendar: str | None


#: Every way the app sends mail to a participant.
PATHS = {
    "confirmation": MailPath(register_on_the_form, MessageKind.CONFIRMATION, "REQUEST"),
    "waiting-list": MailPath(register_on_a_full_event, MessageKind.WAITLISTED, None),
    "promotion": MailPath(get_a_place_from_the_waiting_list, MessageKind.PROMOTED, "REQUEST"),
    "event-changed": MailPath(event_moved, MessageKind.UPDATE, "REQUEST"),
    "event-cancelled": MailPath(event_cancelled_by_coordinator, MessageKind.CANCELLATION, "CANCEL"),
    "reminder": MailPath(reminder_before_the_event, MessageKind.REMINDER, None),
    "coordinator-message": MailPath(
        coordinator_writes_to_participants, MessageKind.COORDINATOR_MESSAGE, None
    ),
    "link-again": MailPath(ask_for_the_links_again, MessageKind.LINK_RESEND, None),
    "participant-cancels": MailPath(
        participant_cancels, MessageKind.PARTICIPANT_CANCELLED, "CANCEL"
    ),
    "coordinator-cancels-registration": MailPath(
        coordinator_cancels_a_registration, MessageKind.PARTICIPANT_CANCELLED, "CANCEL"
    ),
}


@pytest.fixture(params=[True, False], ids=["smtputf8", "no-smtputf8"])
def smtputf8(request, smtp_server) -> bool:
    smtp_server.offer_smtputf8(request.param)
    return request.param


def _received(mailbox, message_id: str):
    """(raw bytes, RCPT TO, MAIL FROM options) of the message with this Message-ID, or None."""
    for raw, (_, rcpt), options in zip(
        mailbox.received, mailbox.envelopes, mailbox.mail_options, strict=True
    ):
        if message_from_bytes(raw, policy=policy.SMTPUTF8)["Message-ID"] == message_id:
            return raw, rcpt, options
    return None


def _check_arrived(mailbox, row: OutboxMessage, path: MailPath, address: str) -> None:
    assert row.status is MessageStatus.SENT, row.last_error
    raw, rcpt, options = _received(mailbox, row.message_id)
    wire = wire_address(address)
    assert rcpt == [wire]
    international = needs_smtputf8(address)
    assert raw.isascii() is not international  # 7-bit unless the address cannot be
    assert ("SMTPUTF8" in options) is international
    # Headers are UTF-8 text (RFC 6532); the stdlib's bytes parser would leave them escaped.
    message = message_from_string(raw.decode("utf-8"), policy=policy.SMTPUTF8)
    [to] = message["To"].addresses
    assert (to.addr_spec, to.display_name) == (wire, NAMES[address])
    assert message["Subject"] == row.subject
    if path.calendar is None:
        assert tree(message) == ["multipart/alternative", "text/plain", "text/html"]
        return
    inline, attachment, method = calendar_bytes(message)
    assert method == path.calendar and inline == attachment
    mailto = f"mailto:{wire}"
    _, vevent = vevent_of(inline)
    assert str(vevent["ATTENDEE"]) == mailto  # icalendar reads it back as it was sent
    assert vevent["ATTENDEE"].params["CN"] == NAMES[address]
    assert_wire_format(inline)  # folded at 75 octets, never inside a character
    text = inline.decode("utf-8")
    assert vobject.readOne(text, validate=True).vevent.attendee.value == mailto
    assert [event["attendees"] for event in icaljs(text)["events"]] == [[mailto]]
    # As the bytes say it: the address itself, neither percent-encoded nor punycode for EAI.
    [line] = [x for x in inline.replace(b"\r\n ", b"").split(b"\r\n") if x.startswith(b"ATT")]
    assert line.endswith(f":mailto:{wire}".encode())


@pytest.mark.parametrize("kind", list(ADDRESSES))
@pytest.mark.parametrize("path", list(PATHS))
def test_every_mail_path_with_an_international_address(app, client, smtputf8, mailbox, path, kind):
    path, address = PATHS[path], ADDRESSES[kind]
    scene = Scene(client=client, event=make_event(capacity=5), recipients=(address, ASCII))
    before = db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0

    path.act(scene)  # and it succeeded: each path checks its own outcome

    deliver_due()
    db.session.expire_all()
    rows = {
        row.to_address: row
        for row in db.session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.id > before, OutboxMessage.kind == path.kind
            )
        )
        if row.to_address in scene.recipients
    }
    assert set(rows) == set(scene.recipients)
    _check_arrived(mailbox, rows[ASCII], path, ASCII)  # ASCII recipients: as always
    if needs_smtputf8(address) and not smtputf8:
        row = rows[address]
        assert row.status is MessageStatus.FAILED and row.attempts == 1  # not retried
        assert "does not support SMTPUTF8" in row.last_error
        assert _received(mailbox, row.message_id) is None
        assert deliver_due(now=utcnow() + timedelta(days=1)).attempted == 0
    else:
        _check_arrived(mailbox, rows[address], path, address)


def test_the_reason_shows_in_the_outbox_and_sending_again_works_once_the_server_can(
    app, client, smtp_server, mailbox
):
    smtp_server.offer_smtputf8(False)
    address = ADDRESSES["eai"]
    event = make_event()
    assert submit(client, event, valid_form(name=NAMES[address], email=address)).status_code == 303
    report = deliver_due()
    assert (report.sent, report.retrying, report.failed) == (0, 0, 1)

    log_in(client, make_user(Role.COORDINATOR, email="koordinaattori@example.fi"))
    listing = page_text(client.get("/admin/outbox?status=failed&lang=en").text)
    assert address in listing and "does not support SMTPUTF8" in listing
    [row] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert row.last_error == (
        f"The mail server does not support SMTPUTF8, which {address} needs (its part before "
        "the @ is not ASCII), so the message was not sent. Send it again once the server "
        "supports SMTPUTF8."
    )
    page = client.get(f"/admin/outbox/{row.id}?lang=en")
    assert "Send again" in page.text

    smtp_server.offer_smtputf8(True)  # the server is upgraded
    response = client.post(
        f"/admin/outbox/{row.id}/retry", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 303
    assert deliver_due().sent == 1
    [(_, rcpt)] = mailbox.envelopes
    assert rcpt == [address]
    db.session.refresh(row)
    assert row.last_error is None  # the outbox no longer shows the old reason
    assert "does not support" not in client.get(f"/admin/outbox/{row.id}?lang=en").text


def test_demo_participants_stored_before_are_written_to_like_anyone(app, smtp_server, mailbox):
    """The demo data holds such addresses as rows written straight to the database."""
    from hytu_events.mailing.notify import Audience, send_coordinator_message

    smtp_server.offer_smtputf8(True)
    assert app.test_cli_runner().invoke(args=["seed", "--demo"]).exit_code == 0
    upcoming = db.session.scalars(
        sa.select(Registration)
        .join(Event)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > utcnow(),
        )
        .order_by(Registration.id)
    ).all()
    registration = next(r for r in upcoming if not r.email.isascii())
    international = [
        r.email for r in upcoming if r.event_id == registration.event_id and not r.email.isascii()
    ]
    sent = send_coordinator_message(registration.event, Audience.CONFIRMED, "Tervehdys", "Hei!")
    db.session.commit()
    assert all(m.status is MessageStatus.QUEUED for m in sent)
    report = deliver_due(limit=1000)
    assert report.failed == report.retrying == 0
    delivered = {rcpt for _, [rcpt] in mailbox.envelopes}
    assert set(international) <= delivered
