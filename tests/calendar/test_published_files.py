"""What every published calendar (feeds, event files) says on the wire: gzipped for clients that
accept it, with an ETag of its own and 304s that still work; no `Vary: Cookie` and no cookie
(calendar apps keep none, and caches may share the copy); no METHOD (they are not iTIP
messages). Issue 15, points 2, 4 and 7."""

from __future__ import annotations

import gzip

import pytest
from icalendar import Calendar

from hytu_events.feed_tokens import tokens
from hytu_events.registrations.tokens import self_service_url
from tests.accounts.helpers import log_in, make_user
from tests.calendar.factories import register
from tests.calendar.parsers import parse_everywhere
from tests.helpers import make_event

EMAIL = "aino.aikio@example.fi"
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture
def urls(app):
    event = make_event(title="Klinikka, osa 1")
    registration = register(event, "Aino Aikio", EMAIL)
    return {
        "public feed": "/calendar.ics",
        "filtered feed": "/calendar.ics?kind=hytu_clinic&municipality=inari",
        "event file": f"/events/{event.id}.ics",
        "personal feed": tokens.participant_feed_url(EMAIL).removeprefix("http://hytu.test"),
        "own dates": self_service_url(registration).removeprefix("http://hytu.test")
        + "/calendar.ics",
    }


KINDS = ["public feed", "filtered feed", "event file", "personal feed", "own dates"]


@pytest.mark.parametrize("kind", KINDS)
def test_gzipped_for_clients_that_accept_it_with_an_etag_of_its_own(client, urls, kind):
    url = urls[kind]
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    # Another representation, another strong ETag (as Flask-Compress names them).
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + ':gzip"'
    assert client.get(url, headers=GZIP).data == packed.data  # the same bytes every time
    for response in (plain, packed):
        vary = {value.strip() for value in response.headers["Vary"].split(",")}
        assert {"Accept-Encoding", "Accept-Language"} <= vary

    # 304s work for each representation, and only for its own ETag.
    for headers, tag, status in (
        (GZIP, packed.headers["ETag"], 304),
        ({}, plain.headers["ETag"], 304),
        (GZIP, plain.headers["ETag"], 200),
        ({}, packed.headers["ETag"], 200),
    ):
        answer = client.get(url, headers={**headers, "If-None-Match": tag})
        assert answer.status_code == status, (headers, tag)


@pytest.mark.parametrize("kind", KINDS)
def test_no_cookie_and_no_vary_cookie(client, urls, kind):
    """Issue 15, 7: public feeds said `Vary: Accept-Language, Cookie` though they set none."""
    url = urls[kind]
    for headers in ({}, {"Accept-Language": "sv"}):
        response = client.get(url + ("&" if "?" in url else "?") + "lang=sv", headers=headers)
        assert response.status_code == 200
        assert "Cookie" not in response.headers["Vary"]
        assert "Set-Cookie" not in response.headers


def test_a_session_changes_no_feed(client, urls):
    """A browser with a session (a language chosen, logged in) gets the same feed as a
    calendar app without one: the feed reads no cookie, so `Vary: Cookie` would be wrong."""
    without = client.get(urls["public feed"])
    client.get("/?lang=sv")  # the session now says Swedish
    log_in(client, make_user())
    with_session = client.get(urls["public feed"])
    assert with_session.data == without.data
    assert with_session.headers["ETag"] == without.headers["ETag"]
    page = client.get("/")
    assert "Cookie" in page.headers["Vary"]  # pages do depend on it


def test_pages_are_compressed_by_flask_compress(client, urls):
    plain = client.get("/?lang=en")
    packed = client.get("/?lang=en", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data).decode().count("<html") == 1
    assert (
        "Accept-Encoding" in plain.headers["Vary"] and "Accept-Encoding" in packed.headers["Vary"]
    )


@pytest.mark.parametrize("kind", KINDS)
def test_published_files_have_no_method(client, urls, kind):
    """Issue 15, 2: not iTIP messages, so no METHOD (which would need an ORGANIZER); the
    invitations keep theirs (tests/calendar/test_ical.py, tests/mailing)."""
    raw = client.get(urls[kind]).data
    assert b"\r\nMETHOD:" not in raw
    assert "METHOD" not in Calendar.from_ical(raw)
    parse_everywhere(raw)  # still valid to both parsers
