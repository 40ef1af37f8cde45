"""Every public event page carries a schema.org Event as JSON-LD that a JSON-LD processor (PyLD)
expands: name, start and end with their offsets, attendance mode, status (cancelled,
rescheduled), place or virtual location, organiser, a free offer whose availability follows the
seats left, and the language; for a date of a series, the series too."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pyld import jsonld

from hytu_events.extensions import db
from hytu_events.models import EventKind, EventStatus, Role
from tests.accounts.helpers import log_in, make_user
from tests.helpers import make_event
from tests.registrations.people import register_people
from tests.series.registering import coming_series

S = "https://schema.org/"
#: What https://schema.org's context says of the properties used here: words are schema.org's,
#: and these name things (IRIs), not text. Served locally: the tests have no network.
SCHEMA_ORG_CONTEXT = {
    "@context": {
        "@vocab": S,
        **{
            name: {"@type": "@id"}
            for name in ("url", "eventStatus", "eventAttendanceMode", "availability")
        },
    }
}
FINLAND = ZoneInfo("Europe/Helsinki")


def schema_org_only(url, options=None):
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise jsonld.JsonLdError(f"no other context is expected: {url}", "loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def json_ld_of(client, event_id: int) -> dict:
    page = client.get(f"/events/{event_id}")
    assert page.status_code == 200
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.text, re.S)
    assert len(blocks) == 1
    found = json.loads(blocks[0])
    assert found["@context"] == "https://schema.org"
    return found


def expanded(client, event_id: int) -> dict:
    """The page's JSON-LD as a JSON-LD processor reads it: {property IRI: values}."""
    nodes = jsonld.expand(json_ld_of(client, event_id), {"documentLoader": schema_org_only})
    assert len(nodes) == 1
    return nodes[0]


def value(node: dict, name: str):
    item = node[S + name][0]
    return item.get("@value", item.get("@id"))


def thing(node: dict, name: str) -> list[dict]:
    return node[S + name]


def test_an_event_at_a_place(client):
    start = datetime(2031, 3, 12, 8, 0, tzinfo=UTC)  # 10.00 in Finland, winter time
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=3), capacity=12)
    register_people(event, 9)
    node = expanded(client, event.id)
    assert node["@type"] == [S + "Event"]
    assert value(node, "name") == "HYTU-klinikka: Inari"
    assert value(node, "startDate") == "2031-03-12T10:00:00+02:00"
    assert value(node, "endDate") == "2031-03-12T13:00:00+02:00"
    assert value(node, "eventAttendanceMode") == S + "OfflineEventAttendanceMode"
    assert value(node, "eventStatus") == S + "EventScheduled"
    (place,) = thing(node, "location")
    assert place["@type"] == [S + "Place"]
    address = place[S + "address"][0]
    assert value(address, "streetAddress") == "Inarin kunnantalo"
    assert value(address, "addressLocality") == "Inari"
    (organiser,) = thing(node, "organizer")
    assert value(organiser, "name") == "HYTU-verkosto"
    (offer,) = thing(node, "offers")
    assert value(offer, "price") == 0 and value(offer, "priceCurrency") == "EUR"
    assert value(offer, "availability") == S + "LimitedAvailability"  # 3 seats left
    assert value(offer, "url").endswith(f"/events/{event.id}/register")
    assert value(node, "remainingAttendeeCapacity") == 3
    assert value(node, "inLanguage") == "fi"
    assert S + "superEvent" not in node


def test_an_online_event_without_a_public_link(client):
    summer = datetime(2031, 6, 12, 6, 0, tzinfo=UTC)
    event = make_event(
        kind=EventKind.VIRTUAL_COFFEE,
        starts_at=summer,
        ends_at=summer + timedelta(minutes=30),
        venue=None,
        online_url="https://teams.example.fi/salainen",
        capacity=None,
    )
    node = expanded(client, event.id)
    assert value(node, "startDate") == "2031-06-12T09:00:00+03:00"  # summer time
    assert value(node, "eventAttendanceMode") == S + "OnlineEventAttendanceMode"
    (where,) = thing(node, "location")
    assert where["@type"] == [S + "VirtualLocation"]
    assert value(where, "url").endswith(f"/events/{event.id}")  # the page, not the link
    assert "salainen" not in json.dumps(json_ld_of(client, event.id))
    assert value(thing(node, "offers")[0], "availability") == S + "InStock"  # no limit


def test_an_event_both_at_a_place_and_online_with_a_public_link(client):
    event = make_event(online_url="https://teams.example.fi/avoin", online_url_public=True)
    node = expanded(client, event.id)
    assert value(node, "eventAttendanceMode") == S + "MixedEventAttendanceMode"
    kinds = {place["@type"][0]: place for place in thing(node, "location")}
    assert value(kinds[S + "VirtualLocation"], "url") == "https://teams.example.fi/avoin"
    assert S + "Place" in kinds


def test_a_cancelled_event(client):
    event = make_event(
        status=EventStatus.CANCELLED, cancellation_reason="Liian vähän ilmoittautuneita"
    )
    node = expanded(client, event.id)
    assert value(node, "eventStatus") == S + "EventCancelled"
    assert value(thing(node, "offers")[0], "availability") == S + "Discontinued"


def test_a_full_event_is_sold_out_while_its_waiting_list_is_open(client):
    event = make_event(capacity=2)
    register_people(event, 3)
    node = expanded(client, event.id)
    assert value(thing(node, "offers")[0], "availability") == S + "SoldOut"
    assert value(node, "remainingAttendeeCapacity") == 0


def test_a_date_of_a_series_and_a_moved_one(client):
    series = coming_series(make_user(Role.COORDINATOR), count=3)
    first, moved = series.dates[0], series.dates[1]
    node = expanded(client, first.id)
    (parent,) = thing(node, "superEvent")
    assert parent["@type"] == [S + "EventSeries"]
    assert value(parent, "name") == series.title
    assert value(parent, "url").endswith(f"/series/{series.id}")
    assert value(node, "eventStatus") == S + "EventScheduled"
    rule_start = moved.starts_at
    moved.starts_at += timedelta(days=1)
    moved.ends_at += timedelta(days=1)
    db.session.commit()
    node = expanded(client, moved.id)
    assert value(node, "eventStatus") == S + "EventRescheduled"
    assert value(node, "previousStartDate") == rule_start.astimezone(FINLAND).isoformat()
    assert value(node, "startDate") == moved.starts_at.astimezone(FINLAND).isoformat()


def test_a_drafts_preview_tells_search_engines_nothing(client):
    draft = make_event(status=EventStatus.DRAFT)
    log_in(client, make_user(Role.VIEWER))
    preview = client.get(f"/admin/events/{draft.id}/preview")
    assert preview.status_code == 200 and draft.title in preview.text
    assert "application/ld+json" not in preview.text


@pytest.mark.parametrize("title", ['</script><script>alert("x")</script>'])
def test_text_cannot_end_the_block(client, title):
    event = make_event(title=title)
    assert json_ld_of(client, event.id)["name"] == title


def test_the_event_is_named_as_its_page_names_it(client):
    event = make_event(title_sv="HYTU-klinik: Enare", description_sv="Kommunens arbetsgrupp.")
    assert json_ld_of(client, event.id)["name"] == "HYTU-klinikka: Inari"
    swedish = client.get(f"/events/{event.id}?lang=sv").text
    node = json.loads(swedish.split('application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert (node["name"], node["description"]) == ("HYTU-klinik: Enare", "Kommunens arbetsgrupp.")
