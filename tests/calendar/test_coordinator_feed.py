"""A coordinator's feed of the events they run, at a secret address they can change."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hytu_events.accounts.models import Role
from hytu_events.events.models import EventStatus
from hytu_events.extensions import db
from tests.accounts.helpers import log_in, make_user
from tests.calendar.parsers import parse_everywhere
from tests.helpers import csrf_token, make_event


def _feed_path(html: str) -> str:
    match = re.search(r'id="coordinator-feed-url" value="http://hytu\.test([^"]+)"', html)
    assert match, "the feed address is on the page"
    return match.group(1)


def test_coordinator_feed_holds_the_events_they_run(client):
    me = make_user(Role.COORDINATOR, email="koordinaattori@example.fi")
    other = make_user(Role.COORDINATOR, email="toinen@example.fi")
    mine = make_event(title="Minun klinikkani", coordinators=[me])
    theirs = make_event(title="Toisen klinikka", coordinators=[other])
    draft = make_event(title="Luonnokseni", coordinators=[me], status=EventStatus.DRAFT)
    log_in(client, me)
    page = client.get("/account/calendar?lang=en")
    assert page.status_code == 200
    path = _feed_path(page.text)
    client.post("/logout", data={"csrf_token": csrf_token(page.text)})

    feed = client.get(path)  # no login needed: the address is the key
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("text/calendar")
    assert mine.calendar_uid in feed.text
    assert theirs.calendar_uid not in feed.text and draft.calendar_uid not in feed.text
    by_vobject, by_icaljs = parse_everywhere(feed.data)
    assert set(by_vobject) == set(by_icaljs) == {mine.calendar_uid}


def test_changing_the_address_kills_the_old_one(client):
    me = make_user(Role.COORDINATOR)
    make_event(coordinators=[me])
    log_in(client, me)
    page = client.get("/account/calendar")
    old = _feed_path(page.text)
    assert client.get(old).status_code == 200
    client.post("/account/calendar", data={"csrf_token": csrf_token(page.text)})
    new = _feed_path(client.get("/account/calendar").text)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_viewers_have_no_feed_page(client):
    viewer = make_user(Role.VIEWER)
    log_in(client, viewer)
    assert client.get("/account/calendar").status_code == 403


def test_coordinator_feed_is_named_and_follows_a_removal(client):
    me = make_user(Role.COORDINATOR, email="koordinaattori@example.fi")
    long_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
    make_event(coordinators=[me], created_at=long_ago, updated_at=long_ago)
    leaving = make_event(title="Siirtyy muille", coordinators=[me])
    log_in(client, me)
    path = _feed_path(client.get("/account/calendar").text)
    first = client.get(path + "?lang=en")
    assert "X-WR-CALNAME:HYTU events I run\r\n" in first.text
    assert leaving.calendar_uid in first.text
    leaving.coordinators = []  # leaves the feed without any row of its own changing
    db.session.commit()
    again = client.get(path + "?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert leaving.calendar_uid not in again.text
