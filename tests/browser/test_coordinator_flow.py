"""A coordinator in real Chromium: log in, create, publish and cancel an event, mark attendance;
every back-office page on the way passes axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from hytu_events.accounts import models as account_models
from hytu_events.extensions import db
from hytu_events.models import Event, EventStatus, Registration, Role
from tests.accounts.helpers import make_user
from tests.browser.axe import assert_accessible
from tests.browser.coordinator_steps import log_in
from tests.helpers import make_event
from tests.registrations.people import register_people

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    monkeypatch.setattr(
        account_models,
        "password_hasher",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


def stored(model, *where):
    """What the database holds now (the server wrote it), ending the read straight away."""
    db.session.expire_all()
    rows = list(db.session.scalars(sa.select(model).where(*where).order_by(model.id)))
    db.session.commit()
    return rows


def test_coordinator_creates_publishes_and_cancels_an_event(page):
    make_user(Role.COORDINATOR, email="kaija@example.fi", name="Kaija Koordinaattori")
    db.session.commit()
    log_in(page, "kaija@example.fi")
    page.goto("/admin/?lang=en")
    assert_accessible(page, "Coordinator home (empty)")

    page.get_by_role("link", name="New event").first.click()
    page.get_by_role("heading", level=1, name="New event").wait_for()
    assert_accessible(page, "New event form")

    # Sent with a mistake first: the error is shown at the field and nothing is saved.
    page.get_by_label("Kind of event").select_option("virtual_coffee")
    page.get_by_label("Title", exact=True).fill("Virtuaalikahvit: kylien turvallisuus")
    page.get_by_label("Starts").fill("2030-01-15T09:00")
    page.get_by_label("Ends").fill("2030-01-15T08:00")
    page.get_by_label("Online meeting link").fill("https://teams.example/meet/kahvit")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The end must be after the start.").first.wait_for()
    assert_accessible(page, "New event form with errors")
    assert stored(Event) == []

    page.get_by_label("Ends").fill("2030-01-15T10:00")
    page.get_by_label("Number of places").fill("25")
    page.get_by_label("Municipalities").select_option(label="Salla")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", level=1, name="Virtuaalikahvit: kylien turvallisuus").wait_for()
    assert_accessible(page, "Event page (draft)")
    [event] = stored(Event)
    assert event.status is EventStatus.DRAFT
    assert event.starts_at == datetime(2030, 1, 15, 7, 0, tzinfo=UTC)

    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The event is published.").wait_for()
    assert stored(Event)[0].status is EventStatus.PUBLISHED

    page.get_by_role("link", name="Cancel the event").click()
    assert_accessible(page, "Cancel form")
    page.get_by_label("Reason for cancelling").fill("Vetäjä sairastui; uusi aika ilmoitetaan.")
    page.get_by_role("button", name="Cancel the event").click()
    page.get_by_text("The event is cancelled.").wait_for()
    [event] = stored(Event)
    assert event.status is EventStatus.CANCELLED and event.revision == 1
    # The change history shows on the event's page.
    assert page.get_by_text("Event cancelled").count() >= 1
    assert_accessible(page, "Event page (cancelled, with history)")

    page.goto(f"/events/{event.id}?lang=en")
    page.get_by_text("Vetäjä sairastui; uusi aika ilmoitetaan.").wait_for()


def test_coordinator_marks_attendance_for_several_at_once(page):
    make_user(Role.COORDINATOR, email="kaija@example.fi", name="Kaija Koordinaattori")
    event = make_event(
        title="HYTU-klinikka: Kemi",
        capacity=2,
        starts_at=datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30),
    )
    first, second, waiting = register_people(event, 3, at=event.starts_at - timedelta(days=1))
    event_id = event.id
    ids = first.id, second.id, waiting.id
    db.session.commit()

    log_in(page, "kaija@example.fi")
    page.goto("/admin/?lang=en")
    assert_accessible(page, "Coordinator home with an event")
    page.goto(f"/admin/events/{event_id}/participants?lang=en")
    assert_accessible(page, "Participants page")

    page.get_by_role("checkbox", name="Osallistuja 1").check()
    page.get_by_role("checkbox", name="Osallistuja 2").check()
    page.get_by_role("button", name="Attended", exact=True).click()
    page.get_by_text("Attendance marked for 2 people.").wait_for()
    marks = {r.id: r.attended for r in stored(Registration)}
    assert [marks[i] for i in ids] == [True, True, None]

    # One box selects everyone shown; unticking one leaves it half ticked.
    page.get_by_role("checkbox", name="Select everyone shown").check()
    page.get_by_role("checkbox", name="Osallistuja 3").uncheck()
    assert page.locator("#select-all").evaluate("box => box.indeterminate")
    page.get_by_role("button", name="Did not attend", exact=True).click()
    page.get_by_text("Attendance marked for 2 people.").wait_for()
    marks = {r.id: r.attended for r in stored(Registration)}
    assert [marks[i] for i in ids] == [False, False, None]

    # Sorting keeps the page accessible and says which column is sorted.
    page.get_by_role("link", name="Name").click()
    assert page.locator("th[aria-sort=ascending]").count() == 1
    assert_accessible(page, "Participants page, sorted")

    page.goto("/admin/events?lang=en")
    assert_accessible(page, "Event list")
    page.goto("/admin/exports?lang=en")
    assert_accessible(page, "Exports page")
    page.goto(f"/admin/events/{event_id}/participants/new?lang=en")
    assert_accessible(page, "Add a participant form")
    page.goto(f"/admin/events/{event_id}/duplicate?lang=en")
    assert_accessible(page, "Duplicate form")
