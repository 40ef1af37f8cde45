"""/embed/events: the public list's upcoming events for a municipality's web site, framed only
by the origins in HYTU_EMBED_ORIGINS; every other page of the app may be framed by nobody; the
back office gives each municipality the code to paste."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from flask import url_for

from hytu_events import create_app
from hytu_events.config import ConfigurationError
from hytu_events.models import EventKind, EventStatus, Role
from tests.accounts.helpers import log_in, make_user
from tests.helpers import make_event, municipality
from tests.url_walker import Visitor, make_url_objects, url_values

ORIGINS = "https://www.pello.fi, https://www.kemi.fi/"
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def app_config() -> dict:
    from hytu_events.config import _origins

    return {"HYTU_EMBED_ORIGINS": _origins(ORIGINS)}


def frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if "frame-ancestors" in part)


def test_only_the_listed_sites_may_frame_the_list(client):
    answer = client.get("/embed/events")
    assert answer.status_code == 200
    assert frame_ancestors(answer) == "frame-ancestors https://www.pello.fi https://www.kemi.fi"
    assert "X-Frame-Options" not in answer.headers
    # The rest of the site's policy holds in the frame too.
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_every_other_page_may_be_framed_by_nobody(app, client):
    objects = make_url_objects()
    visitor = Visitor(app, make_user(Role.ADMIN, email="kehys@example.fi"))
    framed = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "embed.events"):
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **url_values(rule, objects))
        answer = visitor.open(url)
        if frame_ancestors(answer) != "frame-ancestors 'none'":
            framed.append(f"{url}: {frame_ancestors(answer)}")
        if answer.headers.get("X-Frame-Options") != "SAMEORIGIN":
            framed.append(f"{url}: X-Frame-Options {answer.headers.get('X-Frame-Options')}")
    assert not framed, "\n".join(framed)


@pytest.mark.parametrize("listed", ["", " , "])
def test_without_listed_sites_nobody_may_frame_it(database_url, listed):
    from hytu_events.config import _origins

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k" * 40,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "HYTU_EMBED_ORIGINS": _origins(listed),
        }
    )
    answer = app.test_client().get("/embed/events")
    assert frame_ancestors(answer) == "frame-ancestors 'none'"


@pytest.mark.parametrize(
    "listed",
    [
        "https://www.pello.fi; script-src *",
        "https://www.pello.fi/kalenteri",
        "www.pello.fi",
        "javascript:alert(1)",
        "https://*.fi",
    ],
)
def test_a_value_that_is_no_origin_refuses_to_start(monkeypatch, listed):
    monkeypatch.setenv("HYTU_EMBED_ORIGINS", listed)
    with pytest.raises(ConfigurationError, match="HYTU_EMBED_ORIGINS"):
        create_app({"TESTING": True, "SECRET_KEY": "k" * 40})


def test_the_list_shows_what_the_public_list_shows_and_links_there(client):
    pello = make_event(title="Pellon klinikka", municipalities=[municipality("pello")])
    make_event(
        title="Kemin työpaja",
        kind=EventKind.MUNICIPAL_WORKSHOP,
        municipalities=[municipality("kemi")],
    )
    make_event(title="Mennyt", starts_at=NOW - timedelta(days=3))
    make_event(title="Luonnos", status=EventStatus.DRAFT, municipalities=[municipality("pello")])
    page = client.get("/embed/events?municipality=pello&lang=sv")
    listed = client.get("/?municipality=pello").text
    ids = re.findall(r'id="event-(\d+)-title"', page.text)
    assert ids == re.findall(r'id="event-(\d+)-title"', listed) == [str(pello.id)]
    assert f'href="http://localhost/events/{pello.id}"' in page.text
    assert '<base target="_top">' in page.text  # links open the event in the whole window
    assert '<html lang="sv">' in page.text and "Pello" in page.text
    assert "site-header" not in page.text and "Kemin työpaja" not in page.text
    assert client.get("/embed/events?municipality=nowhere").status_code == 400


def test_the_back_office_gives_each_municipality_its_code(app, client):
    log_in(client, make_user(Role.VIEWER))
    page = client.get("/admin/embed?lang=fi")
    assert page.status_code == 200
    codes = [unescape(c) for c in re.findall(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S)]
    assert len(codes) == 21
    (pello,) = [code for code in codes if "municipality=pello&" in code]
    assert pello == (
        '<iframe src="http://hytu.test/embed/events?municipality=pello&amp;lang=fi" '
        'title="HYTU-tapahtumat: Pello" width="100%" height="600" loading="lazy"></iframe>'
    )
    source = unescape(re.search(r'src="([^"]+)"', pello).group(1))
    shown = client.get(source.removeprefix("http://hytu.test"))
    assert shown.status_code == 200 and '<html lang="fi">' in shown.text
    assert "https://www.pello.fi" in page.text  # the sites allowed to frame it
