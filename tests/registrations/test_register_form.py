"""The public registration form: valid input registers; bad input is explained, stores nothing."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from hytu_events.events.models import RegistrationState
from hytu_events.extensions import db
from hytu_events.models import EventStatus, Language, Registration, RegistrationStatus
from hytu_events.registrations.operations import ParticipantDetails, RegistrationNotOpen, register
from tests.helpers import csrf_token, field_error, make_event, municipality, organisation, page_text

NOW = datetime.now(UTC).replace(microsecond=0)


def valid_form(**overrides) -> dict:
    data = {
        "name": "Aino Aikio",
        "email": "Aino.Aikio@Example.fi",
        "organisation": str(organisation("lapin-pelastuslaitos").id),
        "organisation_other": "",
        "municipality": str(municipality("inari").id),
        "job_title": "Riskienhallintapäällikkö",
        "language": "sv",
        "consent": "y",
    }
    data.update(overrides)
    return data


def registrations() -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Registration).order_by(Registration.id)))


def submit(client, event, data, lang="en"):
    url = f"/events/{event.id}/register?lang={lang}"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


def test_valid_registration_is_confirmed_and_stored(client):
    event = make_event(capacity=5)
    response = submit(client, event, valid_form())
    assert response.status_code == 303
    confirmation = client.get(response.headers["Location"])
    assert "Your place is confirmed" in confirmation.text
    [registration] = registrations()
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.email == "aino.aikio@example.fi"
    assert registration.name == "Aino Aikio"
    assert registration.organisation.slug == "lapin-pelastuslaitos"
    assert registration.municipality.slug == "inari"
    assert registration.language.value == "sv"
    assert registration.consent_at is not None
    # The confirmation page shows no personal data.
    assert "Aino" not in confirmation.text and "example.fi" not in confirmation.text


def test_free_text_organisation_and_region_wide_person(client):
    event = make_event()
    response = submit(
        client,
        event,
        valid_form(organisation="", organisation_other="Sodankylän seurakunta", municipality=""),
    )
    assert response.status_code == 303
    [registration] = registrations()
    assert registration.organisation_id is None
    assert registration.organisation_other == "Sodankylän seurakunta"
    assert registration.municipality_id is None


def test_full_event_puts_people_on_the_waiting_list_in_order(client):
    event = make_event(capacity=1)
    submit(client, event, valid_form(email="first@example.fi"))
    for n in (2, 3):
        response = submit(client, event, valid_form(email=f"person{n}@example.fi"))
        text = page_text(client.get(response.headers["Location"]).text)
        assert "You are on the waiting list" in text
        assert f"You are number {n - 1} on the waiting list" in text
    statuses = [r.status for r in registrations()]
    assert statuses == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]


def test_same_email_twice_keeps_one_place(client):
    event = make_event()
    submit(client, event, valid_form())
    response = submit(client, event, valid_form(email="AINO.AIKIO@example.fi", name="Toinen"))
    assert "You were already registered" in client.get(response.headers["Location"]).text
    [registration] = registrations()
    assert registration.name == "Aino Aikio"


def test_needs_are_asked_only_when_the_event_asks(client):
    quiet = make_event(asks_for_needs=False)
    assert 'name="needs"' not in client.get(f"/events/{quiet.id}/register").text
    submit(client, quiet, valid_form(needs="Gluteeniton"))
    assert registrations()[0].needs is None

    asking = make_event(asks_for_needs=True)
    assert 'name="needs"' in client.get(f"/events/{asking.id}/register").text
    submit(client, asking, valid_form(email="b@example.fi", needs="Gluteeniton\nPyörätuoli"))
    assert registrations()[1].needs == "Gluteeniton\nPyörätuoli"


BAD_INPUT = {
    "empty-name": ({"name": ""}, "name", "Enter your name."),
    "blank-name": ({"name": "   "}, "name", "Enter your name."),
    "empty-email": ({"email": ""}, "email", "Enter your email address."),
    "malformed-email": ({"email": "aino(at)example"}, "email", "Enter an email address like"),
    "long-name": ({"name": "a" * 10_000}, "name", "at most 200 characters"),
    "long-email": ({"email": "a" * 10_000 + "@example.fi"}, "email", "at most 254 characters"),
    "control-characters": ({"name": "Aino\x00\x1b[31m"}, "name", "control characters"),
    "control-in-organisation": (
        {"organisation": "", "organisation_other": "Seura\x07"},
        "organisation_other",
        "control characters",
    ),
    "forged-organisation": ({"organisation": "999999"}, "organisation", "Choose an organisation"),
    "non-numeric-organisation": (
        {"organisation": "1 OR 1=1"},
        "organisation",
        "Choose an organisation",
    ),
    "no-organisation": (
        {"organisation": "", "organisation_other": ""},
        "organisation",
        "type its name",
    ),
    "forged-municipality": ({"municipality": "424242"}, "municipality", "Choose a municipality"),
    "forged-language": ({"language": "de"}, "language", "Choose a language"),
    "no-consent": ({"consent": ""}, "consent", "You must accept the privacy notice"),
}


@pytest.mark.parametrize("change,field,message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_explained_at_the_field_and_stores_nothing(client, change, field, message):
    event = make_event(asks_for_needs=True)
    data = valid_form(**change)
    if not data["consent"]:
        del data["consent"]
    response = submit(client, event, data)
    assert response.status_code == 422
    error = field_error(response.text, field)
    assert error is not None and message in error, (field, error)
    # The summary links to the field; what was typed is kept.
    assert f'href="#{field}"' in response.text
    assert 'aria-invalid="true"' in response.text
    if field != "name":
        assert 'value="Aino Aikio"' in response.text
    assert registrations() == []


def test_long_needs_text_is_refused(client):
    event = make_event(asks_for_needs=True)
    response = submit(client, event, valid_form(needs="x" * 10_000))
    assert "at most 2000 characters" in field_error(response.text, "needs")
    assert registrations() == []


def test_missing_or_wrong_csrf_token_is_a_clear_400(client):
    event = make_event()
    response = client.post(f"/events/{event.id}/register?lang=en", data=valid_form())
    assert response.status_code == 400
    assert "The form had expired" in response.text
    client.get(f"/events/{event.id}/register")
    response = client.post(
        f"/events/{event.id}/register", data={**valid_form(), "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert registrations() == []


@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"status": EventStatus.CANCELLED, "cancellation_reason": "Sairastuminen."},
            "has been cancelled",
        ),
        ({"registration_opens_at": NOW + timedelta(days=2)}, "Registration opens"),
        ({"registration_closes_at": NOW - timedelta(hours=1)}, "has closed"),
        (
            {"starts_at": NOW - timedelta(days=3)},
            "already taken place",
        ),
    ],
    ids=["cancelled", "not-yet-open", "closed", "past"],
)
def test_closed_registration_says_why_instead_of_a_form(client, overrides, message):
    event = make_event(**overrides)
    response = client.get(f"/events/{event.id}/register?lang=en")
    assert response.status_code == 200
    assert message in page_text(response.text)
    assert 'name="email"' not in response.text
    # A POST anyway (an old tab) is refused with the same explanation and stores nothing.
    token = csrf_token(client.get(f"/events/{make_event().id}/register").text)
    refused = client.post(
        f"/events/{event.id}/register", data={**valid_form(), "csrf_token": token}
    )
    assert refused.status_code in (403, 410)
    assert message in page_text(refused.text)
    assert registrations() == []


def test_confirmation_page_without_a_registration_goes_back_to_the_event(client):
    event = make_event()
    response = client.get(f"/events/{event.id}/registered")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.id}")


def test_form_is_in_the_readers_language(client):
    event = make_event()
    html = client.get(f"/events/{event.id}/register?lang=sv").text
    assert 'lang="sv"' in html
    # Emails default to the page's language.
    assert '<option selected value="sv">' in html or 'value="sv" selected' in html


def test_registering_after_the_window_closed_says_so(app):
    event = make_event(registration_closes_at=datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(RegistrationNotOpen) as refused:
        register(
            event.id,
            ParticipantDetails(
                name="Aino Aikio",
                email="aino@example.fi",
                organisation_id=None,
                organisation_other="Kunta",
                municipality_id=None,
                job_title=None,
                needs=None,
                language=Language.FI,
            ),
        )
    assert refused.value.state is RegistrationState.CLOSED  # the page tells which
