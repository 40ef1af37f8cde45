"""Registering for an event in real Chromium, as a Finnish participant would."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Registration, RegistrationStatus
from tests.helpers import make_event, municipality, organisation

pytestmark = pytest.mark.browser


def stored_registrations() -> list[Registration]:
    """What the database holds now, not what this session remembers."""
    db.session.expire_all()
    rows = list(db.session.scalars(sa.select(Registration).order_by(Registration.id)))
    db.session.commit()  # end the read, so the server's next write never waits for it
    return rows


def open_form(page, title: str):
    """From the front page to the event, then to its registration form."""
    page.goto("/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    page.get_by_role("link", name="Ilmoittaudu").click()
    page.get_by_role("heading", level=1, name="Ilmoittaudu").wait_for()


def test_registration_from_the_front_page_to_the_confirmation(page):
    event = make_event(title="HYTU-klinikka: Sodankylä", municipalities=[municipality("sodankyla")])
    event_id = event.id
    rescue = organisation("lapin-pelastuslaitos")
    rescue_id, rescue_label = rescue.id, rescue.display_name
    sodankyla_id = municipality("sodankyla").id
    db.session.commit()

    open_form(page, "HYTU-klinikka: Sodankylä")
    page.get_by_label("Nimi", exact=True).fill("Aino Aikio")
    page.get_by_label("Sähköposti", exact=True).fill("aino.aikio@example.fi")
    page.locator("#organisation").select_option(label=rescue_label)
    page.get_by_label("Kunta", exact=True).select_option(label="Sodankylä")
    page.get_by_label("Viestien kieli").select_option("sv")
    page.get_by_label("Olen lukenut tietosuojaselosteen").check()
    page.get_by_role("button", name="Ilmoittaudu").click()

    page.get_by_role("heading", level=1, name="Paikkasi on vahvistettu").wait_for()
    assert page.url.endswith(f"/events/{event_id}/registered")
    # No personal data on the confirmation page.
    body = page.locator("body").inner_text()
    assert "Aino" not in body and "example.fi" not in body

    [registration] = stored_registrations()
    assert registration.event_id == event_id
    assert registration.name == "Aino Aikio"
    assert registration.email == "aino.aikio@example.fi"
    assert registration.organisation_id == rescue_id
    assert registration.municipality_id == sodankyla_id
    assert registration.language.value == "sv"
    assert registration.status is RegistrationStatus.CONFIRMED
    assert registration.consent_at is not None


def error_summary_links(page) -> list[tuple[str, str]]:
    """(text, target) of each link in the error summary."""
    links = page.locator("#error-summary a")
    return [
        (links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]


def test_empty_form_lists_each_error_and_links_it_to_its_field(page):
    event = make_event(title="Virtuaalikahvit: liikkumisen turvallisuus")
    event_id = event.id
    db.session.commit()

    open_form(page, "Virtuaalikahvit: liikkumisen turvallisuus")
    page.get_by_role("button", name="Ilmoittaudu").click()

    summary = page.get_by_role("alert")
    summary.get_by_role("heading", name="Ilmoittautumista ei lähetetty").wait_for()
    assert page.url.endswith(f"/events/{event_id}/register")
    targets = [href for _, href in error_summary_links(page)]
    assert targets == ["#name", "#email", "#organisation", "#consent"]

    for target in targets:
        field = page.locator(target)
        assert field.get_attribute("aria-invalid") == "true"
        # The message at the field is part of the field's accessible description.
        message = page.locator(f"{target}-error")
        assert message.is_visible()
        assert f"{target[1:]}-error" in field.get_attribute("aria-describedby").split()

        page.locator(f'#error-summary a[href="{target}"]').click()
        assert page.evaluate("document.activeElement.id") == target[1:], target

    assert page.locator("#name-error").inner_text().endswith("Kirjoita nimesi.")
    assert stored_registrations() == []


def test_malformed_email_is_explained_and_what_was_typed_is_kept(page):
    make_event(title="Kuntien työpaja: Tunturi-Lappi")
    db.session.commit()

    open_form(page, "Kuntien työpaja: Tunturi-Lappi")
    page.get_by_label("Nimi", exact=True).fill("Niilo Näkkäläjärvi")
    page.get_by_label("Sähköposti", exact=True).fill("niilo.example.fi")
    page.get_by_label("Organisaatio, jos se ei ole listalla").fill("Enontekiön seurakunta")
    page.get_by_label("Kunta", exact=True).select_option(label="Enontekiö")
    page.get_by_label("Olen lukenut tietosuojaselosteen").check()
    page.get_by_role("button", name="Ilmoittaudu").click()

    page.get_by_role("heading", name="Ilmoittautumista ei lähetetty").wait_for()
    [(text, target)] = error_summary_links(page)
    assert target == "#email"
    assert "nimi@esimerkki.fi" in text
    assert "nimi@esimerkki.fi" in page.locator("#email-error").inner_text()

    # Everything typed is still there, so only the email needs fixing.
    assert page.locator("#name").input_value() == "Niilo Näkkäläjärvi"
    assert page.locator("#email").input_value() == "niilo.example.fi"
    assert page.locator("#organisation_other").input_value() == "Enontekiön seurakunta"
    assert page.locator("#municipality option:checked").inner_text() == "Enontekiö"
    assert page.locator("#consent").is_checked()
    assert stored_registrations() == []

    page.locator('#error-summary a[href="#email"]').click()
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("niilo@example.fi")
    page.get_by_role("button", name="Ilmoittaudu").click()
    page.get_by_role("heading", level=1, name="Paikkasi on vahvistettu").wait_for()
    [registration] = stored_registrations()
    assert registration.email == "niilo@example.fi"
    assert registration.organisation_other == "Enontekiön seurakunta"
