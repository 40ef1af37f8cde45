"""The page after registering: how to join and "Add to calendar", for the one who registered.

The calendar file is the person's own (calendar.own_dates_file, opened by their link's secret), so
it is shown only to whoever just created the place, as the self-service link is; so is a meeting
link that the event shares with participants only.
"""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from tests.helpers import csrf_token, make_event, organisation, page_text
from tests.series.registering import coming_series, take_series

MEETING = "https://teams.example/meet/klinikka-inari"


def _person(n: int = 1) -> dict:
    return {
        "name": f"Osallistuja {n}",
        "email": f"osallistuja{n}@example.fi",
        "organisation": str(organisation("lapin-amk").id),
        "language": "fi",
        "consent": "y",
    }


def _confirmation(client, url: str, person: dict):
    page = client.get(f"{url}?lang=en")
    sent = client.post(url, data={"csrf_token": csrf_token(page.text), **person})
    assert sent.status_code == 303, sent.status_code
    return client.get(sent.headers["Location"])


def _calendar_link(html: str, text: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)">{re.escape(text)}</a>', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_a_new_place_shows_how_to_join_and_the_persons_own_calendar_file(client):
    event = make_event(capacity=5, online_url=MEETING, venue="Inarin kunnantalo")
    page = _confirmation(client, f"/events/{event.id}/register", _person())
    text = page_text(page.text)
    assert "Your place is confirmed" in text
    assert "Inarin kunnantalo" in text
    assert f'href="{MEETING}"' in page.text  # confirmed: the link shared with participants
    assert page.headers["Cache-Control"] == "no-store"

    link = _calendar_link(page.text, "Add to calendar")
    assert link is not None and re.fullmatch(r"/r/[^/]+/calendar\.ics\?lang=en", link)
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "text/calendar"
    [entry] = Calendar.from_ical(download.data).walk("VEVENT")
    assert entry["UID"] == event.calendar_uid
    assert MEETING in entry["DESCRIPTION"] or MEETING in entry.get("LOCATION", "")


def test_the_waiting_list_gets_the_file_but_not_a_meeting_link_for_participants(client):
    event = make_event(capacity=1, online_url=MEETING)
    _confirmation(client, f"/events/{event.id}/register", _person(1))
    page = _confirmation(client, f"/events/{event.id}/register", _person(2))
    assert "You are on the waiting list" in page_text(page.text)
    assert MEETING not in page.text
    assert "The link to the online meeting is sent to registered participants." in page.text
    assert _calendar_link(page.text, "Add to calendar") is not None


@pytest.mark.parametrize("public", [False, True])
def test_someone_typing_a_registered_address_gets_no_file_and_no_private_link(client, public):
    event = make_event(online_url=MEETING, online_url_public=public)
    _confirmation(client, f"/events/{event.id}/register", _person())
    page = _confirmation(client, f"/events/{event.id}/register", _person())
    assert "You were already registered" in page_text(page.text)
    assert _calendar_link(page.text, "Add to calendar") is None
    assert "/r/" not in page.text.replace('href="/r/"', "")  # the footer's "send my link"
    # A link the event shows on its public page anyway is no secret.
    assert (f'href="{MEETING}"' in page.text) is public


def test_a_series_place_shows_the_persons_dates_as_one_file(client, coordinator):
    series = coming_series(coordinator, count=3)
    first, _, third = series.dates
    chosen = {"which": "chosen", "dates": [str(first.id), str(third.id)]}
    page = _confirmation(client, f"/series/{series.id}", {**_person(), **chosen})
    assert f'href="{series.online_url}"' in page.text
    link = _calendar_link(page.text, "Add your dates to your calendar")
    assert link is not None and re.fullmatch(r"/r/[^/]+/calendar\.ics\?lang=en", link)
    download = client.get(link)
    assert download.status_code == 200
    # Exactly the chosen dates, as instances of the series: not the date in between.
    starts = {entry["DTSTART"].dt for entry in Calendar.from_ical(download.data).walk("VEVENT")}
    assert starts == {first.starts_at, third.starts_at}


def test_a_series_address_already_registered_gets_no_file(client, coordinator):
    series = coming_series(coordinator, count=2)
    take_series(series, 1)
    page = _confirmation(client, f"/series/{series.id}", {**_person(), "which": "all"})
    assert "You were already registered" in page_text(page.text)
    assert _calendar_link(page.text, "Add your dates to your calendar") is None
    assert series.online_url not in page.text
