"""'Add to calendar' on the self-service page of a date of a series: the person's own dates
(calendar.own_dates), as two parsers we did not write read and expand them, and nobody else's."""

from __future__ import annotations

from datetime import date

import icalendar

from hytu_events.extensions import db
from hytu_events.registrations.tokens import self_service_token
from tests.calendar.parsers import expand_everywhere
from tests.calendar.series_factories import cancel, take_places, wall
from tests.series.helpers import make_series
from tests.series.mailed import take_whole_series

YEAR = (date(2027, 1, 1), date(2027, 12, 31))


def _file(client, place) -> bytes:
    response = client.get(f"/r/{self_service_token(place)}/calendar.ics?lang=fi")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].endswith('.ics"')
    return response.data


def _vevents(raw: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(raw).walk("VEVENT")


def test_a_person_with_some_dates_gets_exactly_those(client, coordinator):
    series = make_series(coordinator, count=5, capacity=1)
    db.session.commit()
    second, fourth = series.dates[1], series.dates[3]
    take_places([series.dates[4]], 9)  # someone else fills the last date
    mine = take_places([second, fourth, series.dates[4]], 1)
    assert mine[2].status.value == "waitlisted"
    cancel(fourth)  # a cancelled date is in no calendar

    raw = _file(client, mine[0])
    vevents = _vevents(raw)
    assert {str(v["UID"]) for v in vevents} == {series.calendar_uid}
    assert all("RRULE" not in v and "RECURRENCE-ID" in v for v in vevents)
    occurrences = expand_everywhere(raw, *YEAR)
    assert [(o["start_local"], o["status"]) for o in occurrences] == [
        (wall(second.starts_at), "CONFIRMED"),
        (wall(series.dates[4].starts_at), "TENTATIVE"),  # the waiting place
    ]
    # Any of the person's links gives the same dates; nobody else's data is in it.
    assert _file(client, mine[2]) == raw
    assert b"saara9" not in raw and b"Sarjalainen 9" not in raw
    assert b"saara1" not in raw and b"Sarjalainen 1" not in raw


def test_a_person_with_every_date_gets_the_series(client, coordinator):
    series = make_series(coordinator, count=4)
    db.session.commit()
    places = take_whole_series(series, 1)
    raw = _file(client, places[0])
    [master] = _vevents(raw)
    assert "RRULE" in master and "RECURRENCE-ID" not in master
    occurrences = expand_everywhere(raw, *YEAR)
    assert [o["start_local"] for o in occurrences] == [wall(d.starts_at) for d in series.dates]


def test_the_self_service_page_links_to_the_own_file(client, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    [place] = take_places([series.dates[1]], 1)
    token = self_service_token(place)
    page = client.get(f"/r/{token}?lang=en").text
    assert f'href="/r/{token}/calendar.ics"' in page
    assert f"/events/{series.dates[1].id}.ics" not in page


def test_a_bad_token_is_a_plain_404(client, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    [place] = take_places([series.dates[0]], 1)
    token = self_service_token(place)
    cut = token.rfind(".") + 1  # the signature's first character: every bit of it counts
    tampered = token[:cut] + ("A" if token[cut] != "A" else "B") + token[cut + 1 :]
    for bad in (tampered, "x" * 40):
        assert client.get(f"/r/{bad}/calendar.ics").status_code == 404
