"""Registering people and reading the invitations they receive."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

import icalendar
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.registrations.models import Language, Registration
from hytu_events.registrations.operations import ParticipantDetails, register
from tests.helpers import organisation, page_text


def register_person(event, n: int, language: str = "fi") -> Registration:
    outcome = register(
        event.id,
        ParticipantDetails(
            name=f"Kaisa Keskitalo {n}",
            email=f"kaisa{n}@example.fi",
            organisation_id=organisation("lapin-liitto").id,
            organisation_other=None,
            municipality_id=None,
            job_title=None,
            needs=None,
            language=Language(language),
        ),
    )
    db.session.commit()
    return outcome.registration


def outbox(kind: MessageKind | None = None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def tree(message: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.walk()]


def to_address(message: EmailMessage) -> str:
    return message["To"].addresses[0].addr_spec


def calendar_bytes(message: EmailMessage) -> tuple[bytes, bytes, str]:
    """(inline text/calendar, invite.ics attachment, method= of the inline part)."""
    inline = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    attachment = next(p for p in message.walk() if p.get_filename() == "invite.ics")
    return (
        inline.get_payload(decode=True),
        attachment.get_payload(decode=True),
        inline.get_param("method"),
    )


def vevent_of(raw: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(raw)
    [vevent] = calendar.walk("VEVENT")
    return calendar, vevent


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def words(text: str) -> list[str]:
    """The words of a text, so that the text and HTML parts can be compared."""
    return re.findall(r"\S+", text.replace("-- ", " ").replace(":", " : "))


def html_words(html: str) -> list[str]:
    return words(page_text(html))


def calendar_of(row: OutboxMessage) -> bytes | None:
    """The text/calendar part of an outbox message as its bytes, or None without one."""
    parsed = email.message_from_bytes(row.mime, policy=email.policy.default)
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    return parts[0].get_payload(decode=True) if parts else None


def body_of(row: OutboxMessage) -> str:
    parsed = email.message_from_bytes(row.mime, policy=email.policy.default)
    return parsed.get_body(preferencelist=("plain",)).get_content()
