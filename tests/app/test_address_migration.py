"""Addresses stored before the one address rule are brought to its canonical form, so the
people behind them are still found (login, "send my link again", data export)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from hytu_events.extensions import db
from hytu_events.feed_tokens.models import CalendarFeedToken
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.models import Language, Registration, RegistrationStatus, Role, User
from tests.accounts.helpers import PASSWORD, login, make_user
from tests.helpers import make_event, organisation

BEFORE = "8ef72644e8ee"  # the revision before the address migration
PUNYCODE = "anna@xn--thti-loa.example"
UNICODE = "anna@tähti.example"
DECOMPOSED = unicodedata.normalize("NFD", "lauri.jääskö@example.fi")


def _place(event, email: str) -> Registration:
    registration = Registration(
        event_id=event.id,
        name="Anna",
        email=email,
        organisation_id=organisation("lapin-avi").id,
        language=Language.FI,
        consent_at=datetime.now(UTC),
        status=RegistrationStatus.CONFIRMED,
    )
    db.session.add(registration)
    return registration


def _emails(model, column) -> dict[int, str]:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(model.id, column)).all())


def test_stored_addresses_take_the_canonical_form(app, client):
    first, second, both = make_event(), make_event(title="Toinen"), make_event(title="Kolmas")
    moved = _place(first, PUNYCODE)
    composed = _place(second, DECOMPOSED)
    # The same person under both spellings at one event: the newer spelling stays as it was.
    _place(both, UNICODE)
    clash = _place(both, PUNYCODE)
    erased = _place(second, "erased+9@invalid.invalid")
    user = make_user(Role.VIEWER, email="viewer@example.fi")
    db.session.add(CalendarFeedToken(token_hash="x" * 64, nonce="n", email=PUNYCODE))
    db.session.add(
        OutboxMessage(
            message_id="<1@hytu.test>",
            to_address=PUNYCODE,
            subject="S",
            mime=b"x",
            kind=MessageKind.CONFIRMATION,
        )
    )
    db.session.flush()
    # As the old code stored it (the model's own normaliser would fix it at once).
    db.session.execute(sa.update(User).where(User.id == user.id).values(email=PUNYCODE))
    db.session.commit()
    ids = {
        "moved": moved.id,
        "composed": composed.id,
        "clash": clash.id,
        "erased": erased.id,
        "user": user.id,
    }
    db.session.close()

    downgrade(revision=BEFORE)
    upgrade()

    registrations = _emails(Registration, Registration.email)
    assert registrations[ids["moved"]] == UNICODE
    assert registrations[ids["composed"]] == "lauri.jääskö@example.fi"
    assert registrations[ids["clash"]] == PUNYCODE
    assert registrations[ids["erased"]] == "erased+9@invalid.invalid"
    assert _emails(User, User.email)[ids["user"]] == UNICODE
    assert set(_emails(CalendarFeedToken, CalendarFeedToken.email).values()) == {UNICODE}
    assert set(_emails(OutboxMessage, OutboxMessage.to_address).values()) == {UNICODE}
    # The account works with either spelling, as it did before.
    for typed in (PUNYCODE, UNICODE):
        assert login(app.test_client(), typed, PASSWORD).status_code == 303
