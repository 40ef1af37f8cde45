"""Personal feeds: the participant's own events at a secret, revocable address."""

import hashlib
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.feed_tokens import tokens
from hytu_events.feed_tokens.models import CalendarFeedToken
from hytu_events.models import EventStatus, RegistrationStatus
from tests.calendar.factories import LONG_AGO, NOW, register
from tests.calendar.parsers import icaljs, parse_everywhere
from tests.helpers import make_event

EMAIL = "aino.aikio@example.fi"


def _event(**overrides):
    overrides.setdefault("created_at", LONG_AGO)
    overrides.setdefault("updated_at", LONG_AGO)
    return make_event(**overrides)


def _path(url: str) -> str:
    assert url.startswith("http://hytu.test/calendar/personal/")
    return url.removeprefix("http://hytu.test")


def test_feed_holds_the_participants_active_places(client):
    confirmed = _event(title="Vahvistettu", online_url="https://teams.example.fi/private-room")
    waiting = _event(title="Jonossa", starts_at=NOW + timedelta(days=9))
    given_up = _event(title="Peruttu ilmoittautuminen")
    someone_elses = _event(title="Toisen tapahtuma")
    draft = _event(title="Luonnos", status=EventStatus.DRAFT)
    cancelled = _event(
        title="Peruttu tapahtuma", status=EventStatus.CANCELLED, cancellation_reason="Myrsky"
    )
    register(confirmed, "Aino Aikio", EMAIL)
    register(waiting, "Aino Aikio", EMAIL, status=RegistrationStatus.WAITLISTED)
    register(given_up, "Aino Aikio", EMAIL, status=RegistrationStatus.CANCELLED)
    register(someone_elses, "Eero Esimerkki", "eero@example.fi")
    register(draft, "Aino Aikio", EMAIL)
    register(cancelled, "Aino Aikio", EMAIL)

    url = tokens.participant_feed_url("Aino.Aikio@Example.fi ")
    response = client.get(_path(url) + "?lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    by_vobject, by_icaljs = parse_everywhere(response.data)
    assert set(by_icaljs) == {c.calendar_uid for c in (confirmed, waiting, cancelled)}
    assert by_icaljs[confirmed.calendar_uid]["status"] == "CONFIRMED"
    # A confirmed place gets the meeting link the public never sees.
    assert "https://teams.example.fi/private-room" in by_icaljs[confirmed.calendar_uid]["location"]
    assert by_vobject[waiting.calendar_uid]["status"] == "TENTATIVE"
    assert "waiting list" in by_vobject[waiting.calendar_uid]["description"]
    assert by_icaljs[cancelled.calendar_uid]["status"] == "CANCELLED"
    assert icaljs(response.data.decode())["name"] == "My HYTU events"


def test_one_address_per_participant_reused_in_every_email(app):
    first = tokens.participant_feed_url(EMAIL)
    assert tokens.participant_feed_url(EMAIL.upper()) == first
    assert tokens.participant_feed_url("someone.else@example.fi") != first
    assert re.fullmatch(r"http://hytu\.test/calendar/personal/[A-Za-z0-9_-]{43}\.ics", first)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeedToken)) == 2


def test_token_is_not_stored_and_a_forged_row_opens_nothing(app):
    token = _path(tokens.participant_feed_url(EMAIL)).rsplit("/", 1)[1].removesuffix(".ics")
    row = db.session.scalars(sa.select(CalendarFeedToken)).one()
    stored = " ".join(str(getattr(row, column.key)) for column in CalendarFeedToken.__table__.c)
    assert token not in stored
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # Someone who can write the database but lacks SECRET_KEY cannot make a working token.
    forged = secrets.token_urlsafe(32)
    db.session.add(
        CalendarFeedToken(
            email="mallory@example.fi",
            nonce="x",
            token_hash=hashlib.sha256(forged.encode()).hexdigest(),
        )
    )
    db.session.commit()
    assert tokens.find_active(forged) is None
    assert tokens.find_active(token) == row


def _without_path(body: bytes) -> bytes:
    """The language links repeat the requested address; all else must be identical."""
    return re.sub(rb'<nav class="language-switch".*?</nav>', b"", body, flags=re.S)


def _not_found_body(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 404
    return _without_path(response.data)


def test_unknown_malformed_and_revoked_tokens_get_the_plain_404(client):
    event = _event(title="Salainen osallistuminen")
    register(event, "Aino Aikio", EMAIL)
    url = tokens.participant_feed_url(EMAIL)
    assert client.get(_path(url)).status_code == 200
    tokens.revoke(tokens.active_participant_token(EMAIL))

    reference = _not_found_body(client, "/no-such-page")
    bad_paths = [
        _path(url),  # revoked
        "/calendar/personal/" + secrets.token_urlsafe(32) + ".ics",  # unknown
        "/calendar/personal/abc.ics",  # too short
        "/calendar/personal/" + "A" * 500 + ".ics",  # too long
        "/calendar/personal/%C3%A4%00'--.ics",  # not even base64url
        "/calendar/personal/.ics",
        _path(url).removesuffix(".ics"),  # no extension
    ]
    for path in bad_paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "text/html"
        assert "ETag" not in response.headers
        body = _without_path(response.data)
        assert body == reference, path
        for secret in (EMAIL, "Aino", "Salainen osallistuminen", "revoked", "token"):
            assert secret.lower().encode() not in body.lower()


def test_revoked_address_is_replaced_by_a_new_one(client):
    event = _event()
    register(event, "Aino Aikio", EMAIL)
    old = tokens.participant_feed_url(EMAIL)
    assert tokens.revoke_participant_feeds(EMAIL) == 1
    assert client.get(_path(old)).status_code == 404
    new = tokens.participant_feed_url(EMAIL)
    assert new != old
    response = client.get(_path(new))
    assert response.status_code == 200
    assert event.calendar_uid.encode() in response.data.replace(b"\r\n ", b"")


def test_use_is_noted_without_a_write_on_every_poll(client):
    path = _path(tokens.participant_feed_url(EMAIL))
    client.get(path)
    row = db.session.scalars(sa.select(CalendarFeedToken)).one()
    db.session.refresh(row)
    first_use = row.last_used_at
    assert first_use is not None
    client.get(path)
    db.session.refresh(row)
    assert row.last_used_at == first_use


def test_empty_feed_is_still_a_valid_calendar(client):
    path = _path(tokens.participant_feed_url(EMAIL))
    response = client.get(path)
    assert response.status_code == 200
    by_vobject, by_icaljs = parse_everywhere(response.data)
    assert by_icaljs == {}


def test_erasing_a_person_removes_their_feed_address(client):
    from hytu_events.registrations.personal_data import erase_personal_data, export_personal_data

    event = _event()
    register(event, "Aino Aikio", EMAIL)
    path = _path(tokens.participant_feed_url(EMAIL))
    client.get(path)
    exported = export_personal_data(EMAIL)["calendar_feeds"]
    assert len(exported) == 1 and exported[0]["last_used_at"] is not None
    assert path.rsplit("/", 1)[1].removesuffix(".ics") not in str(exported)

    erase_personal_data(EMAIL)
    db.session.commit()
    assert client.get(path).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeedToken)) == 0
