"""From the confirmation page to the person's own page: change a detail, then cancel."""

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


def test_register_then_change_and_cancel_through_the_own_link(app, live_server, page):
    app.config["BASE_URL"] = live_server  # the link on the confirmation page points here
    event = make_event(title="HYTU-klinikka: Sodankylä", asks_for_needs=True)
    lapin_amk, sodankyla = organisation("lapin-amk").id, municipality("sodankyla").id

    page.goto(f"/events/{event.id}/register")
    page.fill("#name", "Kaisa Keskitalo")
    page.fill("#email", "kaisa@example.fi")
    page.select_option("#organisation", str(lapin_amk))
    page.select_option("#municipality", str(sodankyla))
    page.fill("#needs", "Laktoositon")
    page.select_option("#language", "sv")
    page.check("#consent")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/events/{event.id}/registered")

    page.locator("main").get_by_role("link", name="Hallinnoi ilmoittautumistasi").click()
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
    page.locator("main a[href$='/cancel']").click()
    page.wait_for_url(f"{manage_url}/cancel")
    assert registrations()[0].status is RegistrationStatus.CONFIRMED
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(manage_url)
    assert page.locator(".flash--success").is_visible()
    assert registrations()[0].status is RegistrationStatus.CANCELLED
    assert page.locator("#job_title").count() == 0
