"""Registering through a real browser: the happy path end to end, and the error path."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Registration, RegistrationStatus
from tests.helpers import make_event, municipality, organisation

pytestmark = pytest.mark.browser


def registrations() -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Registration)))


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_register_manage_and_cancel(page):
    event = make_event(title="HYTU-klinikka: Sodankylä", asks_for_needs=True)
    lapin_amk, sodankyla = organisation("lapin-amk").id, municipality("sodankyla").id

    page.goto("/")
    page.get_by_role("link", name="HYTU-klinikka: Sodankylä").click()
    page.wait_for_url(f"**/events/{event.id}")
    page.locator(".event__actions a.button").click()
    page.wait_for_url(f"**/events/{event.id}/register")

    page.fill("#name", "Kaisa Keskitalo")
    page.fill("#email", "kaisa@example.fi")
    page.select_option("#organisation", str(lapin_amk))
    page.select_option("#municipality", str(sodankyla))
    page.fill("#needs", "Laktoositon")
    page.select_option("#language", "sv")
    page.check("#consent")
    page.locator("form.form button[type=submit]").click()

    page.wait_for_url(f"**/events/{event.id}/registered")
    assert page.locator(".panel--success h1").is_visible()
    [registration] = registrations()
    assert registration.event_id == event.id
    assert (registration.name, registration.email) == ("Kaisa Keskitalo", "kaisa@example.fi")
    assert (registration.organisation_id, registration.municipality_id) == (lapin_amk, sodankyla)
    assert registration.needs == "Laktoositon"
    assert registration.language.value == "sv"
    assert registration.status is RegistrationStatus.CONFIRMED

    # The confirmation page leads to the person's own self-service page.
    page.locator("main a[href*='/r/']").click()
    page.wait_for_url(re.compile(r"/r/[^/]+$"))
    manage_url = page.url
    # The page shows what the person chose, so saving one change keeps the rest.
    assert page.input_value("#name") == "Kaisa Keskitalo"
    assert page.input_value("#organisation") == str(lapin_amk)
    assert page.input_value("#municipality") == str(sodankyla)
    assert page.input_value("#needs") == "Laktoositon"
    assert page.input_value("#language") == "sv"
    page.fill("#job_title", "Hyvinvointikoordinaattori")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(manage_url)
    assert page.locator(".flash--success").is_visible()
    assert page.input_value("#job_title") == "Hyvinvointikoordinaattori"
    [registration] = registrations()
    assert registration.job_title == "Hyvinvointikoordinaattori"
    assert (registration.organisation_id, registration.municipality_id) == (lapin_amk, sodankyla)
    assert registration.language.value == "sv"

    # Cancelling asks first; only the confirmation cancels.
    page.locator(f"main a[href$='{manage_url.split('/r/')[1]}/cancel']").click()
    page.wait_for_url(f"{manage_url}/cancel")
    assert registrations()[0].status is RegistrationStatus.CONFIRMED
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(manage_url)
    assert page.locator(".flash--success").is_visible()
    assert registrations()[0].status is RegistrationStatus.CANCELLED
    # A cancelled place can no longer be changed, and the page says so instead of a form.
    assert page.locator("#job_title").count() == 0


def test_errors_are_summarised_linked_to_their_fields_and_keep_input(page):
    event = make_event()
    page.goto(f"/events/{event.id}/register")

    page.locator("form.form button[type=submit]").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    linked = summary.locator("a").evaluate_all("links => links.map(a => a.hash)")
    assert {"#name", "#email", "#organisation", "#consent"} <= set(linked)
    # "<label>: <message>" reads as one sentence, also for a label ending in a full stop.
    assert ".:" not in summary.inner_text()
    for target in linked:
        # Each message names its field and clicking it takes the keyboard focus there.
        field = page.locator(target)
        assert field.get_attribute("aria-invalid") == "true"
        assert f"{target[1:]}-error" in field.get_attribute("aria-describedby")
        summary.locator(f"a[href='{target}']").click()
        assert focused_id(page) == target[1:]
    assert registrations() == []

    page.fill("#name", "Kaisa Keskitalo")
    page.fill("#email", "kaisa(at)example.fi")
    page.fill("#organisation_other", "Inarin seurakunta")
    page.check("#consent")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert summary.locator("a").evaluate_all("links => links.map(a => a.hash)") == ["#email"]
    assert page.locator("#email-error").is_visible()
    # What was typed stays, so only the mistake needs fixing.
    assert page.input_value("#name") == "Kaisa Keskitalo"
    assert page.input_value("#email") == "kaisa(at)example.fi"
    assert page.input_value("#organisation_other") == "Inarin seurakunta"
    assert page.is_checked("#consent")
    summary.locator("a[href='#email']").click()
    assert focused_id(page) == "email"
    assert registrations() == []
