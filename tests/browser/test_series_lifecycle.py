"""A series from start to end in real Chromium: a coordinator makes it on the new-event form
and publishes it, a participant registers for every date on its public page, the coordinator
cancels one date from the series' page, and the participant's own page (the link in their
confirmation email) shows that date cancelled and the others still theirs."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.local_time import utc_to_local
from hytu_events.mailing.models import MessageKind
from hytu_events.models import Event, EventStatus, Registration, RegistrationStatus, Role
from hytu_events.series.models import Series
from tests.accounts.helpers import make_user
from tests.browser.axe import assert_accessible
from tests.browser.conftest import new_page
from tests.browser.test_coordinator_flow import cheap_password_hashes, log_in  # noqa: F401
from tests.browser.test_series_flow import date_cards
from tests.helpers import organisation
from tests.mailing.helpers import body_of, calendar_of, outbox
from tests.series.registering import next_thursday

pytestmark = pytest.mark.browser

TITLE = "HYTU-virtuaalikahvit: kylien turvallisuus"


def stored(model, *where, order=None):
    """What the database holds now (the server wrote it), ending the read straight away."""
    db.session.expire_all()
    query = sa.select(model).where(*where).order_by(order if order is not None else model.id)
    rows = list(db.session.scalars(query))
    db.session.commit()
    return rows


def make_series_on_the_form(page, first: date) -> None:
    page.goto("/admin/events/new?lang=en")
    page.get_by_label("Kind of event").select_option("virtual_coffee")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Starts").fill(f"{first:%Y-%m-%d}T09:00")
    page.get_by_label("Ends").fill(f"{first:%Y-%m-%d}T09:30")
    repeats = page.get_by_role("group", name="Repeats")
    repeats.get_by_role("radio", name="Weekly").check()
    repeats.get_by_label("Repeat every ... weeks or months", exact=True).fill("2")
    repeats.get_by_role("checkbox", name="Thursday").check()
    repeats.get_by_role("radio", name="After a number of dates").check()
    repeats.get_by_label("Number of dates", exact=True).fill("4")
    page.get_by_label("Online meeting link").fill("https://teams.example/meet/kahvit")
    page.get_by_label("Number of places").fill("20")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()


def register_for_every_date(page, series_id: int) -> None:
    page.goto(f"/series/{series_id}?lang=fi")
    dates = page.get_by_role("group", name="Mihin päiviin ilmoittaudut")
    assert dates.get_by_label("Kaikkiin tuleviin päiviin").is_checked()
    page.get_by_label("Nimi", exact=True).fill("Niilo Näkkäläjärvi")
    page.get_by_label("Sähköposti", exact=True).fill("niilo@example.fi")
    page.locator("#organisation").select_option(label=organisation("spek").display_name)
    page.get_by_label("Olen lukenut tietosuojaselosteen").check()
    page.locator("main form.form button[type=submit]").click()
    page.get_by_role("heading", level=1, name=re.compile("Kiitos ilmoittautumisesta")).wait_for()


def test_make_publish_register_cancel_one_date_and_see_it_on_the_own_page(
    app, browser, live_server, page
):
    app.config["BASE_URL"] = live_server  # the links in the emails point here
    make_user(Role.COORDINATOR, email="kaija@example.fi", name="Kaija Koordinaattori")
    db.session.commit()
    first = next_thursday()

    log_in(page, "kaija@example.fi")
    make_series_on_the_form(page, first)
    [series] = stored(Series)
    assert page.url.endswith(f"/admin/series/{series.id}")
    dates = stored(Event, order=Event.starts_at)
    assert [utc_to_local(event.starts_at) for event in dates] == [
        datetime.combine(first + timedelta(weeks=2 * n), time(9)) for n in range(4)
    ]
    assert {event.status for event in dates} == {EventStatus.DRAFT}
    page.get_by_role("button", name="Publish the 4 draft dates").click()
    page.get_by_text("4 dates were published.").wait_for()
    assert {event.status for event in stored(Event)} == {EventStatus.PUBLISHED}

    context, participant = new_page(browser, live_server)
    try:
        register_for_every_date(participant, series.id)
        places = stored(Registration, order=Registration.event_id)
        assert [place.status for place in places] == [RegistrationStatus.CONFIRMED] * 4
        [confirmation] = outbox(MessageKind.CONFIRMATION)
        assert confirmation.to_address == "niilo@example.fi"
        own_page = re.search(rf"{re.escape(live_server)}/r/\S+", body_of(confirmation)).group()

        # The coordinator cancels the second date from the series' page, with a reason.
        page.goto(f"/admin/series/{series.id}?lang=en")
        page.get_by_role("link", name=re.compile("^Cancel the date")).nth(1).click()
        page.get_by_label("Reason for cancelling").fill("Vetäjä sairastui.")
        page.get_by_role("button", name="Cancel the event").click()
        page.get_by_text("The event is cancelled.").wait_for()
        statuses = [event.status for event in stored(Event, order=Event.starts_at)]
        assert statuses == [
            EventStatus.PUBLISHED,
            EventStatus.CANCELLED,
            EventStatus.PUBLISHED,
            EventStatus.PUBLISHED,
        ]
        [cancellation] = outbox(MessageKind.CANCELLATION)
        assert cancellation.to_address == "niilo@example.fi"
        assert b"METHOD:CANCEL" in calendar_of(cancellation)

        participant.goto(own_page)
        cards = date_cards(participant)
        assert cards.count() == 4
        texts = [cards.nth(n).inner_text() for n in range(4)]
        assert "Tämä päivä on peruttu." in texts[1]
        for n in (0, 2, 3):
            assert "Paikkasi on vahvistettu" in texts[n] and "peruttu" not in texts[n]
        assert_accessible(participant, "Own page of a series with a cancelled date")
    finally:
        context.close()
