"""A series in real Chromium: registering for every date on its page, then leaving one date from
the own page, which lists every date with what became of it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Registration, RegistrationStatus, Role
from tests.accounts.helpers import make_user
from tests.helpers import organisation
from tests.series.registering import coming_series

pytestmark = pytest.mark.browser

C, X = RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED


def stored_statuses() -> list[RegistrationStatus]:
    """What the database holds now, date by date."""
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Registration.status).order_by(Registration.event_id))
    statuses = list(rows)
    db.session.commit()  # end the read, so the server's next write never waits for it
    return statuses


def date_cards(page):
    """The own page's list of the person's dates in the series."""
    heading = page.get_by_role("heading", name="Päiväsi tässä sarjassa")
    return page.locator("section", has=heading).locator("li")


def test_register_for_the_whole_series_then_leave_one_date(app, live_server, page):
    app.config["BASE_URL"] = live_server  # the link on the confirmation page points here
    series = coming_series(make_user(Role.COORDINATOR), count=3)
    series_id, title = series.id, series.title
    spek = organisation("spek").display_name
    db.session.commit()

    page.goto("/?lang=fi")
    page.get_by_role("link", name=f"Osa sarjaa: {title}").first.click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert "Joka toinen torstai klo 9.00–9.30" in page.locator("main").inner_text()
    dates = page.get_by_role("group", name="Mihin päiviin ilmoittaudut")
    assert dates.get_by_label("Kaikkiin tuleviin päiviin").is_checked()
    page.get_by_label("Nimi", exact=True).fill("Niilo Näkkäläjärvi")
    page.get_by_label("Sähköposti", exact=True).fill("niilo@example.fi")
    page.locator("#organisation").select_option(label=spek)
    page.get_by_label("Olen lukenut tietosuojaselosteen").check()
    page.locator("main form.form button[type=submit]").click()

    page.get_by_role("heading", level=1, name=re.compile("Kiitos ilmoittautumisesta")).wait_for()
    assert page.url.endswith(f"/series/{series_id}/registered")
    assert page.get_by_role("heading", name="Paikkasi on vahvistettu näinä päivinä").is_visible()
    body = page.locator("body").inner_text()
    assert "Niilo" not in body and "niilo@example.fi" not in body
    assert stored_statuses() == [C, C, C]

    page.get_by_role("link", name="Hallinnoi ilmoittautumistasi").first.click()
    page.wait_for_url(re.compile(r"/r/[^/]+$"))
    cards = date_cards(page)
    assert cards.count() == 3
    assert all("Paikkasi on vahvistettu" in cards.nth(n).inner_text() for n in range(3))

    # Leave the second date: today's cancellation of that place, which asks first.
    cards.nth(1).get_by_role("link", name=re.compile("Peru ilmoittautuminen tähän päivään")).click()
    page.wait_for_url(re.compile(r"/r/[^/]+/cancel$"))
    assert stored_statuses() == [C, C, C]
    page.get_by_role("button", name="Kyllä, peru ilmoittautumiseni").click()
    page.wait_for_url(re.compile(r"/r/[^/]+$"))
    assert page.locator(".flash--success").is_visible()
    assert stored_statuses() == [C, X, C]
    cards = date_cards(page)
    assert "Ilmoittautumisesi tähän päivään on peruttu." in cards.nth(1).inner_text()
    assert "Paikkasi on vahvistettu" in cards.nth(0).inner_text()
    assert "Paikkasi on vahvistettu" in cards.nth(2).inner_text()
