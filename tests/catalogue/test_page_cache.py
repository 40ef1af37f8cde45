"""Anonymous readers' public pages come from a kept copy (hytu_events.page_cache), never one a
change has made old, and never a copy of anything personal."""

from __future__ import annotations

import pytest
from flask import Flask

from hytu_events import create_app
from hytu_events.accounts.models import Role
from hytu_events.extensions import db
from hytu_events.plan.seed import seed_plan
from hytu_events.registrations.cancellation import cancel_registration
from tests.accounts.helpers import log_in, make_user
from tests.calendar.factories import register
from tests.conftest import IsolatedClient
from tests.helpers import (
    counting_queries,
    csrf_token,
    make_event,
    municipality,
    organisation,
    page_text,
)
from tests.plan.helpers import measure, past_event
from tests.plan.helpers import register as register_for_summary

PAGES = ("/", "/?lang=en", "/summary", "/summary?year=2026&sub_region=pohjois-lappi")


@pytest.fixture
def app_config() -> dict:
    return {"HYTU_PAGE_CACHE": True}


@pytest.fixture
def fresh(app: Flask) -> Flask:
    """The same app on the same database with no page cache: what Flask renders now."""
    return create_app({**app.config, "HYTU_PAGE_CACHE": False})


def kept_pages(app: Flask) -> list[str]:
    store = app.extensions["hytu_feed_cache"]
    return [key for key in store.local._values if key.startswith("page:")]


def same_page(app: Flask, fresh: Flask, url: str) -> bool:
    """New readers get what Flask renders now for another new one (the first may fill the
    cache, the second is served from it)."""
    anonymous(app).get(url)
    return page_text(anonymous(app).get(url).text) == page_text(anonymous(fresh).get(url).text)


def anonymous(app: Flask):
    app.test_client_class = IsolatedClient
    return app.test_client()


def test_a_kept_page_is_served_with_one_query_whatever_the_data(app: Flask):
    client = anonymous(app)
    counts = []
    for events in (1, 24):
        for n in range(events):
            make_event(title=f"Klinikka {events}-{n}")
        client.get("/")
        with counting_queries() as statements:
            page = client.get("/")
        assert page.status_code == 200 and "Klinikka" in page.text
        counts.append(len(statements))
    # The data state (none at all where a watch keeps it, PostgreSQL in production).
    assert counts == [1, 1]


def test_a_change_shows_at_once_on_the_list_the_event_page_and_the_summary(app, fresh):
    seed_plan()
    db.session.commit()
    client = anonymous(app)
    event = make_event(title="Klinikka", capacity=2)
    held = past_event(3, [municipality("inari")], [measure("T1")])
    pages = (*PAGES, f"/events/{event.id}", f"/events/{event.id}?lang=sv")

    def all_current():
        return [url for url in pages if not same_page(app, fresh, url)] == []

    assert all_current()
    # Not the ?lang= pages, which remember the language in the session.
    assert len(kept_pages(app)) == len(pages) - 2

    event.title = "Klinikka, uusi sali"
    db.session.commit()
    assert all_current() and "uusi sali" in client.get("/").text

    registration = register(event, "Aino Aikio", "aino@example.fi")
    before = client.get(f"/events/{event.id}?lang=en").text
    assert "1 seat left" in page_text(before)
    cancel_registration(registration.id)
    db.session.commit()
    assert all_current()
    assert "2 seats left" in page_text(client.get(f"/events/{event.id}?lang=en").text)

    summary = page_text(client.get("/summary").text)
    register_for_summary(held, municipality=municipality("inari"))
    assert all_current() and page_text(client.get("/summary").text) != summary


def test_the_summary_is_kept_for_each_filter(app, fresh):
    seed_plan()
    db.session.commit()
    past_event(3, [municipality("inari")], [measure("T1")])
    client = anonymous(app)
    whole = client.get("/summary").text
    other_region = client.get("/summary?sub_region=ita-lappi").text
    assert page_text(whole) != page_text(other_region)
    assert same_page(app, fresh, "/summary?sub_region=ita-lappi")
    assert same_page(app, fresh, "/summary")


def test_a_logged_in_coordinator_never_gets_nor_fills_a_kept_page(app: Flask):
    event = make_event(title="Klinikka")
    coordinator = anonymous(app)
    log_in(coordinator, make_user(Role.COORDINATOR))
    for url in ("/", f"/events/{event.id}", "/summary"):
        coordinator.get(url)
    assert kept_pages(app) == []

    anonymous(app).get("/?lang=en")  # not kept: it remembers the language
    reader = anonymous(app)
    reader.get("/")
    assert len(kept_pages(app)) == 1
    with counting_queries() as statements:
        assert coordinator.get("/").status_code == 200
    # Flask answered (the user loaded, the page made afresh), not the kept copy.
    assert any("FROM users" in statement for statement in statements)
    assert len(kept_pages(app)) == 1


def test_a_flashed_message_is_never_kept_nor_missed(app: Flask):
    client = anonymous(app)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Ilmoittautuminen peruttu.")]
    page = client.get("/")
    assert "Ilmoittautuminen peruttu." in page.text
    assert kept_pages(app) == []


def test_a_reader_who_chose_a_language_gets_kept_pages_in_it(app: Flask):
    make_event(title="Klinikka")
    swedish = {"Accept-Language": "sv-FI,sv;q=0.9"}
    first = anonymous(app).get("/", headers=swedish)  # a browser that asks for Swedish
    assert 'lang="sv"' in first.text
    client = anonymous(app)
    client.get("/?lang=sv")  # remembered in the session
    with counting_queries() as statements:
        again = client.get("/")
    assert again.text == first.text and len(statements) == 1
    with counting_queries() as statements:
        finnish = anonymous(app).get("/")
    assert 'lang="fi"' in finnish.text and len(statements) > 1


def registration(client, url: str, n: int, organisation_id: int):
    page = client.get(url)
    assert page.status_code == 200
    return page, {
        "csrf_token": csrf_token(page.text),
        "name": f"Osallistuja {n}",
        "email": f"osallistuja{n}@example.fi",
        "organisation": str(organisation_id),
        "language": "fi",
        "consent": "y",
    }


def test_the_registration_form_is_kept_but_each_reader_gets_a_token_of_their_own(app, fresh):
    event = make_event(title="Klinikka", capacity=5)
    url, amk = f"/events/{event.id}/register", organisation("lapin-amk").id
    first, second, third = anonymous(app), anonymous(app), anonymous(app)
    first_page, first_form = registration(first, url, 1, amk)
    with counting_queries() as statements:
        second_page, second_form = registration(second, url, 2, amk)
    assert len(statements) == 1, statements  # the kept form
    assert first_form["csrf_token"] != second_form["csrf_token"]
    assert any(c.startswith("session=") for c in second_page.headers.getlist("Set-Cookie"))
    # Another reader's token is no good with this reader's session.
    _page, third_form = registration(third, url, 3, amk)
    stolen = {**third_form, "csrf_token": second_form["csrf_token"]}
    assert third.post(url, data=stolen).status_code == 400
    for client, form in ((first, first_form), (second, second_form), (third, third_form)):
        assert client.post(url, data=form).status_code == 303
    # Three places taken: the pages say so at once, the form as Flask makes it now.
    assert "2 seats left" in page_text(anonymous(app).get(f"/events/{event.id}?lang=en").text)
    assert same_page(app, fresh, url)


def test_a_reader_with_a_session_gets_the_form_of_their_session(app: Flask):
    event = make_event(title="Klinikka")
    url, amk = f"/events/{event.id}/register", organisation("lapin-amk").id
    anonymous(app).get(url)  # kept
    reader = anonymous(app)
    _page, form = registration(reader, url, 1, amk)
    with counting_queries() as statements:
        again, _ = registration(reader, url, 1, amk)
    assert len(statements) > 1  # Flask made the page for this session, not the kept copy
    assert csrf_token(again.text) and reader.post(url, data=form).status_code == 303


def test_made_up_query_strings_are_never_kept(app: Flask):
    make_event(title="Klinikka")
    for url in ("/?utm=1", "/?page=1&page=2", "/summary?kind=x", "/events/1?page=2"):
        anonymous(app).get(url)
    assert kept_pages(app) == []
    anonymous(app).get("/?page=1")
    assert len(kept_pages(app)) == 1
