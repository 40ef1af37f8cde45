"""The event file and the public feed over HTTP."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from icalendar import vText

from hytu_events.extensions import db
from hytu_events.models import EventKind, EventStatus, RegistrationStatus
from hytu_events.outcomes.event_measures import set_event_measures
from hytu_events.plan.seed import seed_plan
from tests.calendar.factories import LONG_AGO, NOW, dst_days, helsinki, register
from tests.calendar.parsers import icaljs, parse_everywhere
from tests.helpers import make_event, municipality
from tests.plan.helpers import measure


def _event(**overrides):
    overrides.setdefault("created_at", LONG_AGO)
    overrides.setdefault("updated_at", LONG_AGO)
    return make_event(**overrides)


def _unfolded(response) -> str:
    return response.data.decode().replace("\r\n ", "")


def test_event_file_is_a_download_with_a_readable_name(client):
    event = _event(title="HYTU-klinikka: Enontekiö")
    response = client.get(f"/events/{event.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="hytu-klinikka-enontekio.ics"'
    )
    by_vobject, by_icaljs = parse_everywhere(response.data)
    assert list(by_icaljs) == [event.calendar_uid]
    assert by_icaljs[event.calendar_uid]["summary"] == "HYTU-klinikka: Enontekiö"


def test_event_page_links_to_the_file(client):
    event = _event()
    html = client.get(f"/events/{event.id}?lang=en").text
    assert f'href="/events/{event.id}.ics?lang=en"' in html
    assert "Add to calendar" in html


def test_drafts_and_unknown_events_have_no_file(client):
    draft = _event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.id}.ics").status_code == 404
    assert client.get("/events/999999.ics").status_code == 404


def test_feed_is_shown_not_downloaded(client):
    _event()
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    text = response.data.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text


def test_feed_window_past_weeks_cancelled_until_over_drafts_never(client):
    recent = _event(title="Seitsemän viikkoa sitten", starts_at=NOW - timedelta(weeks=7))
    old = _event(title="Yhdeksän viikkoa sitten", starts_at=NOW - timedelta(weeks=9))
    upcoming = _event(title="Tuleva", starts_at=NOW + timedelta(days=3))
    cancelled = _event(
        title="Peruttu tuleva",
        starts_at=NOW + timedelta(days=5),
        status=EventStatus.CANCELLED,
        cancellation_reason="Sairastuminen",
    )
    cancelled_past = _event(
        title="Peruttu mennyt",
        starts_at=NOW - timedelta(days=5),
        status=EventStatus.CANCELLED,
        cancellation_reason="Sairastuminen",
    )
    draft = _event(title="Luonnos", status=EventStatus.DRAFT)
    by_vobject, by_icaljs = parse_everywhere(client.get("/calendar.ics").data)
    assert set(by_icaljs) == {recent.calendar_uid, upcoming.calendar_uid, cancelled.calendar_uid}
    assert by_icaljs[cancelled.calendar_uid]["status"] == "CANCELLED"
    assert by_vobject[upcoming.calendar_uid]["status"] == "CONFIRMED"
    for missing in (old, cancelled_past, draft):
        assert missing.calendar_uid not in by_vobject


@pytest.mark.parametrize("app_config", [{"HYTU_FEED_PAST_WEEKS": 10}])
def test_feed_window_is_configurable(client):
    old = _event(title="Yhdeksän viikkoa sitten", starts_at=NOW - timedelta(weeks=9))
    assert old.calendar_uid in _unfolded(client.get("/calendar.ics"))


def test_each_filter_gives_its_own_valid_feed(client):
    clinic = _event(title="Klinikka Inarissa", municipalities=[municipality("inari")])
    coffee = _event(
        title="Kahvit",
        kind=EventKind.VIRTUAL_COFFEE,
        municipalities=[],
        venue=None,
        online_url="https://teams.example.fi/x",
        online_url_public=True,
    )
    workshop = _event(
        title="Työpaja Kemissä",
        kind=EventKind.MUNICIPAL_WORKSHOP,
        municipalities=[municipality("kemi"), municipality("tornio")],
    )
    expectations = {
        "": {clinic, coffee, workshop},
        "?kind=virtual_coffee": {coffee},
        "?kind=hytu_clinic": {clinic},
        "?kind=municipal_workshop": {workshop},
        "?kind=other": set(),
        "?municipality=tornio": {workshop},
        f"?municipality={municipality('inari').id}": {clinic},
        "?kind=municipal_workshop&municipality=kemi": {workshop},
        "?kind=hytu_clinic&municipality=kemi": set(),
    }
    for query, events in expectations.items():
        response = client.get(f"/calendar.ics{query}")
        assert response.status_code == 200, query
        by_vobject, by_icaljs = parse_everywhere(response.data)
        assert set(by_icaljs) == {event.calendar_uid for event in events}, query


def test_feed_name_follows_language_and_filter(client):
    _event()
    text = _unfolded(client.get("/calendar.ics?lang=en&kind=hytu_clinic&municipality=inari"))
    assert "\r\nNAME:HYTU events: HYTU clinic\\, Inari\r\n" in text
    assert "\r\nX-WR-CALNAME:HYTU events: HYTU clinic\\, Inari\r\n" in text
    assert icaljs(text)["name"] == "HYTU events: HYTU clinic, Inari"
    swedish = _unfolded(
        client.get("/calendar.ics?municipality=tornio", headers={"Accept-Language": "sv"})
    )
    assert "Torneå" in swedish
    # Calendar apps keep no cookies; a feed must not try to set one.
    assert "Set-Cookie" not in client.get("/calendar.ics?lang=en").headers


@pytest.mark.parametrize("query", ["kind=party", "municipality=atlantis", "municipality=%00"])
def test_bad_filter_is_a_400(client, query):
    assert client.get(f"/calendar.ics?{query}").status_code == 400


def test_list_page_offers_the_feed_for_its_filter(client):
    seed_plan()
    inari, kemi = municipality("inari"), municipality("kemi")
    wanted = _event(title="Klinikka Inarissa, T1", municipalities=[inari])
    others = [
        _event(title="Klinikka Inarissa, T2", municipalities=[inari]),
        _event(title="Klinikka Kemissä, T1", municipalities=[kemi]),
        _event(title="Työpaja Inarissa, T1", kind=EventKind.MUNICIPAL_WORKSHOP),
    ]
    set_event_measures(wanted.id, [measure("T1").id])
    set_event_measures(others[0].id, [measure("T2").id])
    for other in others[1:]:
        set_event_measures(other.id, [measure("T1").id])
    db.session.commit()
    filters = {"kind": "hytu_clinic", "municipality": "inari", "measure": "T1"}

    html = client.get(f"/?lang=en&{urlencode(filters)}").text
    [https] = re.findall(r'id="feed-url"[^>]*readonly value="([^"]+)"', html)
    [webcal] = re.findall(r'<a href="(webcal://[^"]+)"', html)
    https, webcal = unescape(https), unescape(webcal)
    assert '<label class="label" for="feed-url">' in html
    address = urlsplit(https)
    assert (address.scheme, address.netloc, address.path) == ("http", "hytu.test", "/calendar.ics")
    assert dict(parse_qsl(address.query)) == {"lang": "en", **filters}  # the page's own filter
    assert webcal == "webcal://" + https.split("://", 1)[1]

    # The address really is the feed for that filter: the one event, in English.
    feed = client.get(f"{address.path}?{address.query}")
    assert feed.status_code == 200
    by_vobject, by_icaljs = parse_everywhere(feed.data)
    assert set(by_vobject) == set(by_icaljs) == {wanted.calendar_uid}
    t1 = measure("T1")
    name = f"HYTU events: HYTU clinic, Inari, {t1.code} {t1.title_in('en')}"
    assert icaljs(feed.data.decode())["name"] == name


def test_dst_times_in_the_feed(client):
    """Next year's switches, through the whole HTTP path and both parsers."""
    days = dst_days(NOW.year + 1)
    events = {name: _event(title=name, starts_at=helsinki(day)) for name, day in days.items()}
    raw = client.get("/calendar.ics").data
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in raw and b"RDATE" not in raw
    by_vobject, by_icaljs = parse_everywhere(raw)
    expected_utc_hour = {
        "before_spring": 7,
        "after_spring": 6,
        "before_autumn": 6,
        "after_autumn": 7,
    }
    for name, event in events.items():
        for parsed in (by_vobject[event.calendar_uid], by_icaljs[event.calendar_uid]):
            assert parsed["start_local"] == f"{days[name].isoformat()}T09:00:00"
            hour = expected_utc_hour[name]
            assert parsed["start_utc"] == f"{days[name].isoformat()}T{hour:02d}:00:00Z"


def test_public_feeds_never_hold_participants_personal_data(client):
    inari, kemi = municipality("inari"), municipality("kemi")
    events = [
        _event(title="Klinikka", municipalities=[inari], online_url="https://teams.example.fi/x"),
        _event(
            title="Kahvit",
            kind=EventKind.VIRTUAL_COFFEE,
            municipalities=[kemi],
            status=EventStatus.CANCELLED,
            cancellation_reason="Peruttu",
        ),
        _event(title="Työpaja", kind=EventKind.MUNICIPAL_WORKSHOP, municipalities=[inari, kemi]),
    ]
    secrets = []
    for n, event in enumerate(events):
        for status in RegistrationStatus:
            name = f"Zyxwvuts Qwertyson{n}{status.value}"
            email = f"zq{n}{status.value}@salainen.example"
            register(event, name, email, status=status)
            secrets += [name, email, "salainen.example", "Zyxwvuts"]
    secrets += ["Pyörätuoli", "Hyvinvointikoordinaattori", "teams.example.fi"]
    queries = ["", "?lang=en", "?lang=sv"]
    queries += [f"?kind={kind.value}" for kind in EventKind]
    queries += ["?municipality=inari", "?municipality=kemi", f"?municipality={inari.id}"]
    queries += ["?kind=virtual_coffee&municipality=kemi"]
    urls = [f"/calendar.ics{query}" for query in queries]
    urls += [f"/events/{event.id}.ics" for event in events]
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _unfolded(response).lower()
        seen += text.count("begin:vevent")
        for secret in secrets:
            assert secret.lower() not in text, (url, secret)
        assert "attendee" not in text and "organizer" not in text
        parse_everywhere(response.data)
    assert seen >= len(urls)  # the feeds did contain the events
    db.session.rollback()


def test_no_add_to_calendar_for_cancelled_or_past_events(client):
    cancelled = _event(status=EventStatus.CANCELLED, cancellation_reason="Peruttu")
    past = _event(starts_at=NOW - timedelta(days=3))
    for event in (cancelled, past):
        assert f"/events/{event.id}.ics" not in client.get(f"/events/{event.id}").text


def _calendar_name(response) -> str:
    [name] = [
        line.removeprefix("X-WR-CALNAME:")
        for line in _unfolded(response).split("\r\n")
        if line.startswith("X-WR-CALNAME:")
    ]
    return vText.from_ical(name)  # a TEXT value: escapes undone


def test_feed_names_in_the_subscribers_language(client):
    seed_plan()
    db.session.commit()
    _event()
    assert _calendar_name(client.get("/calendar.ics?lang=en")) == "HYTU events"
    assert _calendar_name(client.get("/calendar.ics?lang=sv&municipality=inari")).endswith(
        ": Enare"
    )
    assert _calendar_name(client.get("/calendar.ics?lang=sv&measure=T1")).endswith(
        ": T1 HYTU-kliniker för kommunerna"
    )
