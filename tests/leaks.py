"""What would let someone act as a participant, for tests that check it is shown nowhere."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from email import message_from_bytes, policy

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.feed_tokens.models import CalendarFeedToken
from hytu_events.feed_tokens.tokens import existing_participant_feed_url
from hytu_events.registrations.models import Registration
from hytu_events.registrations.tokens import self_service_token


def secrets_of(registrations: Iterable[Registration]) -> dict[str, str]:
    """{what: value} for every self-service token, feed token, its hash and its nonce."""
    found = {}
    for registration in registrations:
        found[f"self-service token of {registration.email}"] = self_service_token(registration)
        if feed := existing_participant_feed_url(registration.email):
            found[f"feed token of {registration.email}"] = feed.rsplit("/", 1)[1][: -len(".ics")]
        rows = db.session.scalars(
            sa.select(CalendarFeedToken).where(CalendarFeedToken.email == registration.email)
        )
        for row in rows:
            found[f"feed token hash {row.id}"] = row.token_hash
            found[f"feed token nonce {row.id}"] = row.nonce
    return found


def readable(body: bytes) -> bytes:
    """The bytes a person reading the response gets to see: a spreadsheet (zip) unpacked."""
    if not body.startswith(b"PK\x03\x04"):
        return body
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


def leaked(body: bytes, secrets: dict[str, str]) -> list[str]:
    """The names of the secrets found in `body`."""
    content = readable(body)
    return [name for name, value in secrets.items() if value.encode() in content]


def decoded_parts(mime: bytes) -> str:
    """Every text part of a stored message, decoded (quoted-printable or base64)."""
    message = message_from_bytes(mime, policy=policy.default)
    return "\n".join(
        part.get_payload(decode=True).decode("utf-8")
        for part in message.walk()
        if not part.is_multipart()
    )
