"""One address rule at every form that takes an address: internationalised addresses (EAI)
and IDN domains are accepted and stored in one canonical form; anything else gets a clear
message in the reader's language and stores nothing."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from hytu_events.email_addresses import canonical_email, normalise_email, wire_address
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.models import Registration, Role, User
from hytu_events.registrations.link_requests import answer_link_requests
from tests.accounts.helpers import PASSWORD, log_in, login, make_user
from tests.helpers import field_error, make_event, municipality, page_text, post_form
from tests.registrations.test_register_form import submit, valid_form


def _stored_registrations() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Registration.email).order_by(Registration.id)))


def _stored_users() -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(User.email).where(User.role != Role.ADMIN).order_by(User.id))
    )


def _register(client, email: str, lang: str):
    return submit(client, make_event(), valid_form(email=email), lang=lang)


def _request_link(client, email: str, lang: str):
    return post_form(client, f"/r/?lang={lang}", {"email": email})


def _add_participant(client, email: str, lang: str):
    event = make_event()
    data = {
        "name": "Lauri Jääskö",
        "email": email,
        "organisation": "",
        "organisation_other": "Sallan VPK",
        "municipality": str(municipality("salla").id),
        "language": "fi",
    }
    return post_form(client, f"/admin/events/{event.id}/participants/new?lang={lang}", data)


def _create_user(client, email: str, lang: str):
    data = {"email": email, "name": "Lauri Jääskö", "role": "viewer", "organisation": ""}
    return post_form(client, f"/admin/users/new?lang={lang}", data)


@dataclass(frozen=True)
class AddressForm:
    submit: Callable
    #: What the form keeps of the address (None: the form stores nothing, it only looks up).
    stored: Callable[[], list[str]] | None
    accepted_status: int
    refused_status: int


#: Every form that takes an email address.
FORMS = {
    "registration": AddressForm(_register, _stored_registrations, 303, 422),
    "link-again": AddressForm(_request_link, None, 200, 422),
    "add-participant": AddressForm(_add_participant, _stored_registrations, 303, 200),
    "user-account": AddressForm(_create_user, _stored_users, 200, 422),
}

#: (as typed, as stored)
GOOD_ADDRESSES = {
    "eai": ("Lauri.Jääskö@Example.fi", "lauri.jääskö@example.fi"),
    "idn": ("anna@Tähti.example", "anna@tähti.example"),
    "idn-typed-as-punycode": ("anna@XN--THTI-LOA.example", "anna@tähti.example"),
    # Decomposed (as some keyboards type it): stored composed, so it is the same person.
    "decomposed": (
        unicodedata.normalize("NFD", "lauri.jääskö@example.fi"),
        "lauri.jääskö@example.fi",
    ),
}

MESSAGES = {
    "en": "Enter an email address like name@example.fi.",
    "fi": "Kirjoita sähköpostiosoite muodossa nimi@esimerkki.fi.",
    "sv": "Skriv en e-postadress i formen namn@exempel.fi.",
}


@pytest.fixture
def admin_client(client):
    log_in(client, make_user(Role.ADMIN, email="admin@lapinliitto.fi"))
    return client


@pytest.mark.parametrize("address", list(GOOD_ADDRESSES))
@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_takes_an_internationalised_address(admin_client, form, address):
    typed, stored = GOOD_ADDRESSES[address]
    response = FORMS[form].submit(admin_client, typed, "en")
    assert response.status_code == FORMS[form].accepted_status, page_text(response.text)[:300]
    assert field_error(response.text, "email") is None
    if FORMS[form].stored is not None:
        assert FORMS[form].stored() == [stored]


BAD_ADDRESSES = ["lauri.jääskö@@example.fi", "lauri.jääskö@tähti", "lauri jääskö"]


@pytest.mark.parametrize("lang", list(MESSAGES))
@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_refuses_a_bad_address_in_the_readers_language(admin_client, form, lang):
    for bad in BAD_ADDRESSES:
        response = FORMS[form].submit(admin_client, bad, lang)
        assert response.status_code == FORMS[form].refused_status, bad
        assert field_error(response.text, "email") == MESSAGES[lang], bad
    if FORMS[form].stored is not None:
        assert FORMS[form].stored() == []
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_both_spellings_of_an_address_are_one_person(app, client):
    event = make_event()
    assert submit(client, event, valid_form(email="anna@tähti.example")).status_code == 303
    # The same address in punycode and upper case: no second place.
    again = submit(client, event, valid_form(email="ANNA@xn--thti-loa.example"))
    assert again.status_code == 303
    assert _stored_registrations() == ["anna@tähti.example"]
    app.config["RATELIMIT_ENABLED"] = False
    post_form(client, "/r/?lang=en", {"email": "Anna@XN--THTI-LOA.example"})
    assert answer_link_requests() == 1  # what the mail worker does before its round
    db.session.commit()
    resent = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.LINK_RESEND)
    ).all()
    assert [m.to_address for m in resent] == ["anna@tähti.example"] * 2


def test_an_account_with_an_internationalised_address_logs_in_with_either_spelling(app, client):
    make_user(Role.VIEWER, email="Anna@Tähti.example")
    for typed in ("anna@tähti.example", "ANNA@XN--THTI-LOA.EXAMPLE"):
        assert login(app.test_client(), typed, PASSWORD).status_code == 303, typed


def test_the_rule_in_one_place():
    assert canonical_email("  Lauri.Jääskö@Example.FI ") == "lauri.jääskö@example.fi"
    # Looking up never raises: stored rows that today's rule would refuse are still found.
    assert normalise_email(" Erased+1@Invalid.Invalid ") == "erased+1@invalid.invalid"
    # On the wire: A-labels when the local part is ASCII; otherwise UTF-8 as it is.
    assert wire_address("anna@tähti.example") == "anna@xn--thti-loa.example"
    assert wire_address("lauri.jääskö@tähti.example") == "lauri.jääskö@tähti.example"
    assert wire_address("kaisa@example.fi") == "kaisa@example.fi"
