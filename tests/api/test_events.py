"""/api/v1/events lists what the public list shows, page for page, with the same filters; its
pages link to each other; answers carry ETags and answer 304; CORS is open for GET."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from hytu_events.extensions import db
from hytu_events.models import Event, EventKind, EventStatus
from hytu_events.plan.models import Measure, event_measures
from hytu_events.plan.seed import seed_plan
from tests.helpers import make_event, municipality

NOW = datetime.now(UTC).replace(microsecond=0)
KINDS = list(EventKind)
PLACES = ["inari", "pello", "kemi"]


@pytest.fixture
def many_events(app):
    """41 upcoming and 25 past events of every kind in three municipalities, some at the same
    hour (so ties need the id), a third serving measure T1, a cancelled one and a draft."""
    seed_plan()
    measure = db.session.query(Measure).filter_by(code="T1").one()
    for n in range(66):
        start = NOW + timedelta(days=2 + n // 2, hours=3) if n < 41 else NOW - timedelta(days=n)
        event = make_event(
            title=f"Tapahtuma {n}",
            kind=KINDS[n % 4],
            starts_at=start,
            municipalities=[municipality(PLACES[n % 3])],
        )
        if n % 3 == 0:
            db.session.execute(
                event_measures.insert().values(event_id=event.id, measure_id=measure.id)
            )
    make_event(title="Peruttu", status=EventStatus.CANCELLED, cancellation_reason="Sairastuminen")
    make_event(title="Luonnos", status=EventStatus.DRAFT)
    db.session.commit()


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="event-(\d+)-title"', html)]


def api_ids(client, query: str) -> list[int]:
    answer = client.get(f"/api/v1/events?{query}")
    assert answer.status_code == 200, answer.get_json()
    return [event["id"] for event in answer.get_json()]


FILTERS = [
    "",
    "kind=virtual_coffee",
    "municipality=pello",
    "municipality=Kemi",
    "measure=T1",
    "measure=t1&kind=hytu_clinic",
    "kind=other&municipality=inari",
]


@pytest.mark.parametrize("filters", FILTERS)
def test_every_page_lists_what_the_public_list_shows(client, many_events, filters):
    for when, size in (("upcoming", 30), ("past", 20)):
        tab = "&when=past" if when == "past" else ""
        for page in (1, 2, 3):
            html = client.get(f"/?{filters}{tab}&page={page}").text
            api = api_ids(client, f"{filters}&when={when}&page={page}&page_size={size}")
            assert api == listed_ids(html), (filters, when, page)
    assert api_ids(client, filters + "&page_size=100")  # the filters leave something to compare


def test_a_municipality_by_id_is_the_same_filter(client, many_events):
    pello = municipality("pello")
    assert api_ids(client, f"municipality={pello.id}") == api_ids(client, "municipality=pello")


def test_what_the_list_refuses_the_api_answers_with_the_same_reason(client, many_events):
    page = client.get("/?municipality=nowhere&lang=en")
    answer = client.get("/api/v1/events?municipality=nowhere&lang=en")
    assert page.status_code == 400
    assert answer.status_code == 404
    message = answer.get_json()["message"]
    assert message == "Unknown municipality in the address (municipality)."
    assert message in page.text


def test_dates_and_series_narrow_the_list(client, many_events):
    everything = client.get("/api/v1/events?when=all&page_size=100").get_json()
    day = date.fromisoformat(everything[10]["starts_at"][:10])
    on_the_day = client.get(f"/api/v1/events?when=all&from={day}&to={day}").get_json()
    assert on_the_day and {e["starts_at"][:10] for e in on_the_day} == {day.isoformat()}
    assert [e["id"] for e in on_the_day] == [
        e["id"] for e in everything if e["starts_at"][:10] == day.isoformat()
    ]
    starts = [e["starts_at"] for e in everything]
    assert [datetime.fromisoformat(s) for s in starts] == sorted(
        datetime.fromisoformat(s) for s in starts
    )
    assert client.get("/api/v1/events?series=12345").status_code == 404


def test_following_the_links_gives_every_event_once(client, many_events):
    url, seen, pages = "/api/v1/events?when=all&page_size=7&kind=hytu_clinic", [], 0
    total = None
    while url:
        answer = client.get(url)
        assert answer.status_code == 200
        seen += [event["id"] for event in answer.get_json()]
        total = int(answer.headers["X-Total-Count"])
        links = dict(
            (rel, target)
            for target, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', answer.headers["Link"])
        )
        assert "kind=hytu_clinic" in links["first"] and "page_size=7" in links["last"]
        next_url = links.get("next")
        url = urlsplit(next_url)._replace(scheme="", netloc="").geturl() if next_url else None
        pages += 1
    assert len(seen) == len(set(seen)) == total
    assert pages == -(-total // 7) and pages > 2
    assert seen == api_ids(client, "when=all&page_size=100&kind=hytu_clinic")


def test_an_unchanged_answer_is_a_304_with_its_etag(client, many_events):
    first = client.get("/api/v1/events?kind=other")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/events?kind=other", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    other_page = client.get("/api/v1/events?kind=other&page=2")
    assert other_page.headers["ETag"] != etag
    # A change to a listed event changes the answer and its tag.
    event_id = first.get_json()[0]["id"]
    event = db.session.get(Event, event_id)
    event.title = "Uusi nimi"
    db.session.commit()
    changed = client.get("/api/v1/events?kind=other", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert changed.get_json()[0]["title"] == "Uusi nimi"
    one = client.get(f"/api/v1/events/{event_id}")
    assert (
        client.get(
            f"/api/v1/events/{event_id}", headers={"If-None-Match": one.headers["ETag"]}
        ).status_code
        == 304
    )


def test_any_site_may_read_it_without_credentials(client, many_events):
    answer = client.get("/api/v1/events", headers={"Origin": "https://www.pello.fi"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer.headers
    exposed = {h.strip() for h in answer.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link", "X-Total-Count"} <= exposed
    preflight = client.options(
        "/api/v1/events",
        headers={
            "Origin": "https://www.pello.fi",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]
    site = client.get("/", headers={"Origin": "https://www.pello.fi"})
    assert "Access-Control-Allow-Origin" not in site.headers


def test_texts_come_in_the_language_asked_for(client, many_events):
    swedish = client.get("/api/v1/events?kind=virtual_coffee&lang=sv")
    assert swedish.get_json()[0]["kind"]["label"] == "Virtuellt kaffe"
    assert swedish.headers["Content-Language"] == "sv"
    english = client.get("/api/v1/events?kind=virtual_coffee", headers={"Accept-Language": "en"})
    assert english.get_json()[0]["kind"]["label"] == "Virtual coffee"
    assert english.headers["Content-Language"] == "en"
    assert "Accept-Language" in english.headers["Vary"]
    finnish = client.get("/api/v1/events?kind=virtual_coffee")
    assert finnish.headers["Content-Language"] == "fi"
    assert finnish.get_json()[0]["kind"]["label"] == "Virtuaalikahvit"
    # Not remembered: no cookie, and the next request without ?lang= is Finnish again.
    assert "Set-Cookie" not in swedish.headers
    towns = {m["slug"]: m for m in client.get("/api/v1/municipalities?lang=sv").get_json()}
    assert towns["tornio"]["name"] == "Torneå"
    assert towns["tornio"]["sub_region"]["label"] == "Kemi-Torneå"
    # The seed's starting point: all 21 preparing a combined plan.
    assert towns["tornio"]["plan_status"] == {
        "code": "in_preparation",
        "label": "Under beredning",
        "since": "2021-01-01",
    }


def test_every_refusal_is_json_in_the_language_asked_for(client):
    refusals = {
        "POST /api/v1/events": client.post("/api/v1/events?lang=en"),
        "GET /api/v1/nothing": client.get("/api/v1/nothing?lang=en"),
        "GET /api/v1/events/2147483647": client.get("/api/v1/events/2147483647?lang=en"),
        "GET ?page=0": client.get("/api/v1/events?page=0&lang=en"),
        "GET ?kind=NUL": client.get("/api/v1/events?kind=%00&lang=en"),
    }
    assert {name: answer.status_code for name, answer in refusals.items()} == {
        "POST /api/v1/events": 405,
        "GET /api/v1/nothing": 404,
        "GET /api/v1/events/2147483647": 404,
        "GET ?page=0": 422,
        "GET ?kind=NUL": 400,
    }
    for answer in refusals.values():
        assert answer.is_json and answer.get_json()["code"] == answer.status_code
    assert "GET" in refusals["POST /api/v1/events"].headers["Allow"]
    assert refusals["GET ?page=0"].get_json()["errors"] == {
        "query": {
            "page": ["Must be greater than or equal to 1 and less than or equal to 2147483647."]
        }
    }
    assert "control characters" in refusals["GET ?kind=NUL"].get_json()["message"]
    assert client.get("/no-such-page").mimetype == "text/html"  # the site's pages stay pages


def test_an_events_own_texts_come_in_the_language_asked_for_or_in_finnish_said_so(client, app):
    event = make_event(title_sv="HYTU-klinik: Enare", description_en="The municipal group.")
    swedish = client.get(f"/api/v1/events/{event.id}?lang=sv").get_json()
    assert (swedish["title"], swedish["title_language"]) == ("HYTU-klinik: Enare", "sv")
    assert swedish["description_language"] == "fi"
    assert swedish["description"] == event.description
    english = client.get(f"/api/v1/events/{event.id}", headers={"Accept-Language": "en"})
    english = english.get_json()
    assert (english["title"], english["title_language"]) == ("HYTU-klinikka: Inari", "fi")
    assert (english["description"], english["description_language"]) == (
        "The municipal group.",
        "en",
    )
