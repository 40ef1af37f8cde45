"""A series in personal and coordinators' feeds: the whole series for a reader with every date,
exactly their dates (one VEVENT each, the series' UID and a RECURRENCE-ID) for the others; the
feeds' window, validators and query counts with series in them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from werkzeug.http import parse_date

from hytu_events.calendar.feeds import public_feed
from hytu_events.events.queries import EventFilter
from hytu_events.extensions import db
from hytu_events.feed_tokens import tokens
from hytu_events.registrations.cancellation import cancel_registration
from tests.calendar.parsers import expand_everywhere, parse_everywhere
from tests.calendar.series_factories import (
    cancel,
    series_clock,  # noqa: F401 - fixture
    take_places,
    wall,
)
from tests.helpers import counting_queries, make_event
from tests.series.helpers import make_series

pytestmark = pytest.mark.usefixtures("series_clock")

YEAR = (date(2027, 1, 1), date(2027, 12, 31))
PRIVATE_LINK = "https://teams.example/meet/kahvit"


def _path(url: str) -> str:
    return url.removeprefix("http://hytu.test")


def _feed_of(n: int) -> str:
    return _path(tokens.participant_feed_url(f"saara{n}@example.fi"))


def _text(raw: bytes) -> str:
    return raw.decode().replace("\r\n ", "")


def test_a_person_with_every_date_gets_the_series_with_its_link(client, coordinator):
    series = make_series(coordinator, count=4, online_url_public=False)
    db.session.commit()
    take_places(series.dates, 1)
    cancel(series.dates[2])  # their place stays, the date is off: an EXDATE

    raw = client.get(_feed_of(1)).data
    text = _text(raw)
    assert "RRULE:FREQ=WEEKLY;COUNT=4;INTERVAL=2;BYDAY=TH" in text
    assert f"EXDATE;TZID=Europe/Helsinki:{series.dates[2].recurrence_id:%Y%m%d}T090000" in text
    assert "RECURRENCE-ID" not in text
    assert f"LOCATION:{PRIVATE_LINK}" in text  # a confirmed place shows the private link
    occurrences = expand_everywhere(raw, *YEAR)
    kept = [series.dates[i] for i in (0, 1, 3)]
    assert [o["start_local"] for o in occurrences] == [wall(d.starts_at) for d in kept]
    assert {o["status"] for o in occurrences} == {"CONFIRMED"}


def test_a_person_with_some_dates_gets_exactly_those_dates(client, coordinator):
    series = make_series(coordinator, count=4)
    db.session.commit()
    mine = [series.dates[0], series.dates[2]]
    take_places(mine, 1)
    take_places(series.dates, 2)  # someone else has them all: not in this feed

    raw = client.get(_feed_of(1)).data
    text = _text(raw)
    assert "RRULE:FREQ=WEEKLY" not in text and "EXDATE" not in text
    by_vobject, by_icaljs = parse_everywhere(raw)
    assert set(by_icaljs) == {
        f"{series.calendar_uid}#{d.recurrence_id:%Y-%m-%dT%H:%M:%S}Z" for d in mine
    }
    occurrences = expand_everywhere(raw, *YEAR)
    assert [o["start_local"] for o in occurrences] == [wall(d.starts_at) for d in mine]
    assert {o["uid"] for o in occurrences} == {series.calendar_uid}


def test_leaving_one_date_turns_the_series_into_the_dates_still_held(client, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    places = take_places(series.dates, 1)
    first = client.get(_feed_of(1))
    assert "RRULE:FREQ=WEEKLY" in _text(first.data)

    cancel_registration(places[1].id)
    db.session.commit()
    again = client.get(_feed_of(1), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    occurrences = expand_everywhere(again.data, *YEAR)
    assert [o["start_local"] for o in occurrences] == [
        wall(series.dates[0].starts_at),
        wall(series.dates[2].starts_at),
    ]
    assert "RRULE:FREQ=WEEKLY" not in _text(again.data)


def test_a_waiting_place_at_one_date_is_a_tentative_override(client, coordinator):
    series = make_series(coordinator, count=3, capacity=1, online_url_public=False)
    db.session.commit()
    take_places([series.dates[1]], 9)  # takes the only seat of the second date
    take_places(series.dates, 1)

    raw = client.get(_feed_of(1)).data
    occurrences = expand_everywhere(raw, *YEAR)
    assert [o["status"] for o in occurrences] == ["CONFIRMED", "TENTATIVE", "CONFIRMED"]
    by_vobject, by_icaljs = parse_everywhere(raw)
    waiting = f"{series.calendar_uid}#{series.dates[1].recurrence_id:%Y-%m-%dT%H:%M:%S}Z"
    assert "waiting list" in client.get(_feed_of(1) + "?lang=en").text
    assert PRIVATE_LINK not in (by_vobject[waiting]["location"] or "")


def test_a_coordinator_who_runs_every_date_gets_the_series(client, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    cancel(series.dates[0])
    raw = client.get(_path(tokens.coordinator_feed_url(coordinator.id))).data
    assert "RRULE:FREQ=WEEKLY" in _text(raw)
    occurrences = expand_everywhere(raw, *YEAR)
    assert [o["start_local"] for o in occurrences] == [wall(d.starts_at) for d in series.dates[1:]]


def test_a_series_stays_whole_while_any_date_is_in_the_window(app, coordinator):
    series = make_series(coordinator, count=6)  # 11 March to 20 May 2027
    db.session.commit()
    window = timedelta(weeks=app.config["HYTU_FEED_PAST_WEEKS"])
    last_end = series.dates[-1].ends_at

    # Months after the first dates left the window, the series is still there whole.
    feed = public_feed(EventFilter(), last_end + window - timedelta(minutes=1), "fi")
    assert [event.id for event in feed.events] == [d.id for d in series.dates]
    assert feed.series == [series]
    # Once its last date has aged out, the whole series goes.
    assert public_feed(EventFilter(), last_end + window, "fi").events == []


def test_the_feeds_validators_follow_the_series_and_its_dates(client, coordinator, request):
    clock = request.getfixturevalue("series_clock")
    series = make_series(coordinator, count=3)
    db.session.commit()
    client.get("/calendar.ics")
    clock.advance(1)  # Last-Modified comes once the second it was first served is over
    first = client.get("/calendar.ics")

    cancel(series.dates[1])  # the master gets an EXDATE; the series row is untouched
    for headers in (
        {"If-None-Match": first.headers["ETag"]},
        {"If-Modified-Since": first.headers["Last-Modified"]},
    ):
        assert client.get("/calendar.ics", headers=headers).status_code == 200, headers
    second = client.get("/calendar.ics")
    assert b"EXDATE" in second.data

    series.title = "HYTU-aamukahvit"
    series.revision += 1
    db.session.commit()
    third = client.get("/calendar.ics", headers={"If-None-Match": second.headers["ETag"]})
    assert third.status_code == 200 and b"HYTU-aamukahvit" in third.data
    clock.advance(1)
    dated = client.get("/calendar.ics")
    assert parse_date(dated.headers["Last-Modified"]) > parse_date(first.headers["Last-Modified"])
    unchanged = client.get("/calendar.ics", headers={"If-None-Match": third.headers["ETag"]})
    assert unchanged.status_code == 304


def _statements(client, path: str) -> int:
    client.get(path)  # a feed address's first use is noted once: not counted here
    with counting_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_the_feeds_query_count_does_not_grow_with_series_and_dates(client, coordinator):
    small = make_series(coordinator, count=2)
    make_event(title="Yksittäinen klinikka", starts_at=small.dates[0].starts_at)
    db.session.commit()
    take_places(small.dates, 1)
    coordinator_path = _path(tokens.coordinator_feed_url(coordinator.id))
    paths = ["/calendar.ics", "/calendar.ics?kind=virtual_coffee", _feed_of(1), coordinator_path]
    paths.append(f"/events/{small.dates[0].id}.ics")
    before = {path: _statements(client, path) for path in paths}

    for n in range(3):
        more = make_series(coordinator, count=8, title=f"Sarja {n}")
        db.session.commit()
        cancel(more.dates[1])
        take_places(more.dates[::2], 1)
    for n in range(3):
        make_event(title=f"Klinikka {n}", starts_at=small.dates[1].starts_at)
    after = {path: _statements(client, path) for path in paths}
    assert after == before
    assert _text(client.get("/calendar.ics").data).count("RRULE:FREQ=WEEKLY") == 4


def test_the_public_feed_holds_no_one_s_place_at_a_date(client, coordinator):
    series = make_series(coordinator, count=3, online_url_public=False)
    db.session.commit()
    take_places(series.dates, 1)
    take_places(series.dates[:1], 2)
    for path in ("/calendar.ics", "/calendar.ics?lang=en", f"/events/{series.dates[0].id}.ics"):
        text = _text(client.get(path).data).lower()
        for secret in ("saara", "sarjalainen", "example.fi", "teams.example", "attendee"):
            assert secret not in text, (path, secret)
        assert "rrule:freq=weekly" in text
