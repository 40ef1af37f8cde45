"""In a real Chromium, /embed/events shows inside an iframe on a site HYTU_EMBED_ORIGINS lists,
and on no other; an ordinary page of the app shows in no frame at all. The framing sites are
two small servers of their own on this machine (other ports are other origins), so nothing but
the frame-ancestors rule stands between them and the app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from hytu_events.config import _origins
from tests.browser.axe import describe, violations
from tests.helpers import make_event, municipality

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


class FramingPage(BaseHTTPRequestHandler):
    """A municipality's page that holds only an iframe of `?src=`."""

    def do_GET(self):  # noqa: N802 - http.server's name
        src = parse_qs(urlsplit(self.path).query).get("src", [""])[0]
        body = (
            '<!doctype html><html lang="fi"><title>Kunta</title><main><h1>Kunnan sivu</h1>'
            f'<iframe src="{escape(src)}" title="HYTU-tapahtumat"></iframe></main></html>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FramingPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def listed_site() -> Iterator[str]:
    with site() as origin:
        yield origin


@pytest.fixture
def other_site() -> Iterator[str]:
    with site() as origin:
        yield origin


@pytest.fixture
def app_config(listed_site) -> dict:
    return {"HYTU_EMBED_ORIGINS": _origins(f"{listed_site},https://www.kemi.fi")}


def framed(page, framing_site: str, src: str):
    """The iframe's frame once `framing_site`'s page holding `src` has loaded."""
    page.goto(f"{framing_site}/?src={src}")
    page.wait_for_load_state("load")
    return page.frames[1]


def shows(frame, live_server: str) -> bool:
    """The app's page is in the frame (a refused one leaves Chromium's error page there)."""
    return frame.url.startswith(live_server) and frame.locator("main h1").count() == 1


def test_only_a_listed_site_can_show_the_list(page, live_server, listed_site, other_site):
    make_event(title="Pellon klinikka", municipalities=[municipality("pello")])
    src = f"{live_server}/embed/events?municipality=pello%26lang=fi"
    listed = framed(page, listed_site, src)
    assert shows(listed, live_server)
    link = listed.get_by_role("link", name="Pellon klinikka")
    assert link.get_attribute("href").startswith(f"{live_server}/events/")
    found = violations(listed)  # axe-core inside the frame, as it is there
    assert not found, describe(found)
    assert not shows(framed(page, other_site, src), live_server)


def test_no_other_page_shows_in_a_frame(page, live_server, listed_site):
    event = make_event()
    for path in ("/", f"/events/{event.id}", "/api/v1/docs"):
        assert not shows(framed(page, listed_site, f"{live_server}{path}"), live_server), path
