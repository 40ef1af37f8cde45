"""The self-service page of a place at a series date: the person's dates, leaving one, leaving
the whole series; the secret link rules hold for the new page."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.mailing.models import OutboxMessage
from hytu_events.models import EventStatus, RegistrationStatus
from hytu_events.registrations.tokens import self_service_token
from tests.helpers import csrf_token, make_event, page_text
from tests.registrations.people import register_person
from tests.series.registering import coming_series, places_of, take_series

C, W, X = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


def _cards(html: str) -> list[str]:
    section = html.split('id="series-dates-heading"', 1)[1].split("</section>", 1)[0]
    return [page_text(card) for card in re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)]


def _post(client, url: str):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, data={"csrf_token": csrf_token(page.text)})


def test_the_page_lists_the_persons_places_at_every_date(client, coordinator):
    series = coming_series(coordinator, count=4, capacity=1)
    first, second, third, fourth = series.dates
    take_series(series, 2, [second.id])  # second date full
    take_series(series, 1, [first.id, second.id, third.id])
    take_series(series, 3, [fourth.id])  # someone else's place: not listed
    third.status, third.cancellation_reason = EventStatus.CANCELLED, "Peruttu"
    db.session.commit()
    place = places_of("osallistuja1@example.fi")[0]
    html = client.get(f"/r/{self_service_token(place)}?lang=en").text
    cards = _cards(html)
    assert len(cards) == 3
    assert "Your place is confirmed" in cards[0] and "the date of this page" in cards[0]
    assert "You are number 1 on the waiting list" in cards[1]
    assert "This date has been cancelled" in cards[2]
    assert "Osallistuja 3" not in html and "osallistuja3" not in html
    assert f'href="/series/{series.id}"' in html
    assert "Leave the whole series" in page_text(html)


def test_a_place_at_an_event_of_no_series_has_no_list(client):
    registration = register_person(make_event(), "A", "a@example.fi")
    html = client.get(f"/r/{self_service_token(registration)}?lang=en").text
    assert "series-dates-heading" not in html and "leave-series" not in html


def test_leaving_one_date_is_todays_cancellation_of_that_place(client, coordinator):
    series = coming_series(coordinator, count=3, capacity=1)
    second = series.dates[1]
    take_series(series, 1)
    take_series(series, 2, [second.id])  # waits for the second date
    first_place, second_place, _ = places_of("osallistuja1@example.fi")
    html = client.get(f"/r/{self_service_token(first_place)}?lang=en").text
    leave = re.findall(r'<a href="(/r/[^"]+/cancel)">Leave this date', html)
    assert leave[1] == f"/r/{self_service_token(second_place)}/cancel"
    response = _post(client, leave[1] + "?lang=en")
    assert response.status_code == 303
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [C, X, C]
    assert [p.status for p in places_of("osallistuja2@example.fi")] == [C]  # moved up
    page = client.get(response.headers["Location"])
    assert "You left this date" in _cards(page.text)[1]


def test_leaving_the_whole_series_asks_first_then_leaves_every_upcoming_date(client, coordinator):
    series = coming_series(coordinator, count=3, capacity=1)
    take_series(series, 1)
    take_series(series, 2)  # on every waiting list
    token = self_service_token(places_of("osallistuja1@example.fi")[2])
    url = f"/r/{token}/leave-series?lang=en"
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "strict-origin"
    assert len(re.findall(r"<li>", page.text.split("<main", 1)[1].split("</form>")[0])) == 3
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [C, C, C]  # asked only

    response = client.post(url, data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/r/{token}"
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [X, X, X]
    assert [p.status for p in places_of("osallistuja2@example.fi")] == [C, C, C]
    overview = client.get(response.headers["Location"] + "?lang=en")
    text = page_text(overview.text)
    assert "You left 3 dates of the series." in text
    assert all("You left this date" in card for card in _cards(overview.text))
    assert "Leave the whole series" not in text
    # Nothing left to leave: the page says so, and sending it again changes nothing.
    again = client.get(url)
    assert "You have no places left at upcoming dates" in page_text(again.text)
    form = {"csrf_token": csrf_token(page.text)}
    assert client.post(url, data=form).status_code == 200


def test_leaving_the_series_keeps_the_dates_that_have_started(client, coordinator):
    series = coming_series(coordinator, count=2)
    take_series(series, 1)
    first, second = series.dates
    first.starts_at = first.starts_at - timedelta(days=30)  # under way (it ends later)
    db.session.commit()
    token = self_service_token(places_of("osallistuja1@example.fi")[1])
    _post(client, f"/r/{token}/leave-series")
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [C, X]


def test_leaving_sends_no_mail_per_date(client, coordinator):
    """One series_left, for mail to answer once: never a cancellation mail per date (which
    registration_cancelled would send, three here)."""
    series = coming_series(coordinator, count=3)
    take_series(series, 1)
    before = db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
    token = self_service_token(places_of("osallistuja1@example.fi")[0])
    _post(client, f"/r/{token}/leave-series")
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [X, X, X]
    caused = db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.id > before)
    )
    assert caused <= 1


def test_the_leave_page_opens_only_with_a_live_link_to_a_series_place(client, coordinator):
    series = coming_series(coordinator, count=2)
    take_series(series, 1)
    single = register_person(make_event(), "B", "b@example.fi")
    token = self_service_token(places_of("osallistuja1@example.fi")[0])
    cut = token.rfind(".") + 1  # the signature's first character: all of its bits count
    tampered = token[:cut] + ("A" if token[cut] != "A" else "B") + token[cut + 1 :]
    form = {"csrf_token": csrf_token(client.get(f"/r/{token}/leave-series").text)}
    for wrong in (self_service_token(single), tampered, "x" * 40):
        for method in ("GET", "POST"):
            data = form if method == "POST" else None
            response = client.open(f"/r/{wrong}/leave-series", method=method, data=data)
            assert response.status_code == 404, (wrong, method)
            assert response.headers["Cache-Control"] == "no-store"
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [C, C]
