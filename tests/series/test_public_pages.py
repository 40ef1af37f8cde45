"""The series page and its one form; the public list and event pages mark series dates."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from hytu_events.extensions import db
from hytu_events.models import EventStatus, Frequency, Registration, RegistrationStatus, Series
from hytu_events.series.wording import rule_in_words
from tests.helpers import (
    counting_queries,
    csrf_token,
    field_error,
    make_event,
    organisation,
    page_text,
)
from tests.series.registering import coming_series, places_of, take_series

C, W = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


def _form(n: int = 1, **changes) -> dict:
    values = {
        "which": "all",
        "name": f"Osallistuja {n}",
        "email": f"osallistuja{n}@example.fi",
        "organisation": str(organisation("lapin-amk").id),
        "municipality": "",
        "language": "fi",
        "consent": "y",
    }
    values.update(changes)
    return values


def _send(client, series, form: dict, lang: str = "en"):
    url = f"/series/{series.id}?lang={lang}"
    page = client.get(url)
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text), **form}
    return client.post(url, data=data)


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", "Joka toinen torstai klo 9.00–9.30"),
        ("sv", "Varannan torsdag kl. 09:00–09:30"),
        ("en", "Every other Thursday at 09:00 – 09:30"),
    ],
)
def test_the_page_says_the_rule_in_the_readers_language(client, coordinator, lang, words):
    series = coming_series(coordinator, count=3)
    text = page_text(client.get(f"/series/{series.id}?lang={lang}").text)
    assert "HYTU-virtuaalikahvit" in text and "Puoli tuntia kuulumisia" in text
    assert words in text


def _rule(**values) -> Series:
    defaults = dict(
        frequency=Frequency.WEEKLY,
        every=1,
        weekdays="TH",
        first_date=date(2027, 1, 14),
        start_time=time(9, 0),
        minutes=30,
        number_of_dates=3,
    )
    return Series(**{**defaults, **values})


@pytest.mark.parametrize(
    ("rule", "fi", "sv", "en"),
    [
        (
            _rule(weekdays="MO,WE"),
            "Joka maanantai ja keskiviikko klo 9.00–9.30, 18.–25.1.2027",
            "Varje måndag och onsdag kl. 09:00–09:30, 18–25 jan. 2027",
            "Every Monday and Wednesday at 09:00 – 09:30, Jan 18 – 25, 2027",
        ),
        (
            _rule(every=3),
            "Joka 3. viikko: torstai klo 9.00–9.30, 14.1.–25.2.2027",
            "Var 3:e vecka: torsdag kl. 09:00–09:30, 14 jan.–25 feb. 2027",
            "Every 3 weeks on Thursday at 09:00 – 09:30, Jan 14 – Feb 25, 2027",
        ),
        (
            _rule(frequency=Frequency.MONTHLY, week_of_month=2),
            "Joka kuukauden toinen torstai klo 9.00–9.30, 14.1.–11.3.2027",
            "Andra torsdagen varje månad kl. 09:00–09:30, 14 jan.–11 mars 2027",
            "The second Thursday of every month at 09:00 – 09:30, Jan 14 – Mar 11, 2027",
        ),
        (
            _rule(frequency=Frequency.MONTHLY, week_of_month=-1, every=2, minutes=90),
            "Joka toisen kuukauden viimeinen torstai klo 9.00–10.30, 28.1.–27.5.2027",
            "Sista torsdagen varannan månad kl. 09:00–10:30, 28 jan.–27 maj 2027",
            "The last Thursday of every other month at 09:00 – 10:30, Jan 28 – May 27, 2027",
        ),
    ],
)
def test_every_kind_of_rule_in_words(app, rule, fi, sv, en):
    with app.test_request_context():
        for lang, expected in (("fi", fi), ("sv", sv), ("en", en)):
            with force_locale(lang):
                # English puts thin spaces around the dash (CLDR); compared as a page shows it.
                assert " ".join(rule_in_words(rule).split()) == expected


def test_the_dates_with_seats_left_full_and_cancelled(client, coordinator):
    series = coming_series(coordinator, count=4, capacity=1)
    first, second, third, fourth = series.dates
    take_series(series, 1, [second.id])
    take_series(series, 2, [second.id])  # on the waiting list
    third.status, third.cancellation_reason = EventStatus.CANCELLED, "Kouluttaja sairastui"
    fourth.registration_closes_at = fourth.starts_at - timedelta(days=60)
    db.session.commit()
    html = client.get(f"/series/{series.id}?lang=en").text
    cards = re.findall(r'<li class="event-card[^"]*">(.*?)</li>', html, re.S)
    texts = [page_text(card) for card in cards]
    assert len(texts) == 4
    assert "1 seat left" in texts[0]
    assert "Full" in texts[1] and "1 on the waiting list" in texts[1]
    assert "Cancelled" in texts[2] and "This date has been cancelled" in texts[2]
    assert "Registration for this date has closed" in texts[3]
    assert f'href="/events/{first.id}"' in cards[0]
    # Only the open dates can be ticked; the full one says that it means the waiting list.
    boxes = re.findall(r'<input[^>]*name="dates"[^>]*value="(\d+)"', html)
    assert boxes == [str(first.id), str(second.id)]
    assert "(full: waiting list)" in page_text(html.split('name="dates"')[2])
    # No personal data on a public page.
    assert "osallistuja" not in html.lower() and "Osallistuja 1" not in html


def test_past_dates_are_not_listed(client, coordinator, monkeypatch):
    series = coming_series(coordinator, count=3)
    first = series.dates[0]
    first.starts_at, first.ends_at = (
        first.starts_at - timedelta(days=60),
        first.ends_at - timedelta(days=60),
    )
    db.session.commit()
    html = client.get(f"/series/{series.id}?lang=en").text
    assert f'href="/events/{first.id}"' not in html
    assert html.count('<li class="event-card') == 2


def test_a_series_of_drafts_or_none_is_a_404(client, coordinator):
    drafts = coming_series(coordinator, count=2, publish=False)
    assert client.get(f"/series/{drafts.id}").status_code == 404
    assert client.get(f"/series/{drafts.id}/registered").status_code == 404
    assert client.get("/series/2147483647").status_code == 404


def test_registering_for_every_upcoming_date(client, coordinator):
    series = coming_series(coordinator, count=3, capacity=1)
    take_series(series, 9, [series.dates[2].id])  # the last date is full
    response = _send(client, series, _form())
    assert response.status_code == 303
    assert response.headers["Location"] == f"/series/{series.id}/registered"
    assert [p.status for p in places_of("osallistuja1@example.fi")] == [C, C, W]
    confirmation = client.get(response.headers["Location"])
    assert confirmation.headers["Cache-Control"] == "no-store"  # it holds the own link
    text = page_text(confirmation.text)
    assert "Thank you for registering" in text
    assert "Your place is confirmed at these dates" in text
    assert "number 1 on the waiting list" in text
    manage = re.search(r'href="http://hytu\.test(/r/[^"]+)"', confirmation.text).group(1)
    assert client.get(manage).status_code == 200


def test_registering_for_the_dates_chosen(client, coordinator):
    series = coming_series(coordinator, count=3)
    first, second, third = series.dates
    form = _form(which="chosen", dates=[str(first.id), str(third.id)])
    assert _send(client, series, form).status_code == 303
    assert [p.event_id for p in places_of("osallistuja1@example.fi")] == [first.id, third.id]


def test_choosing_no_date_is_a_form_error_and_nothing_is_saved(client, coordinator):
    series = coming_series(coordinator, count=3)
    response = _send(client, series, _form(which="chosen"))
    assert response.status_code == 422
    assert field_error(response.text, "dates") == (
        "Tick at least one date, or choose all upcoming dates."
    )
    assert 'value="Osallistuja 1"' in response.text  # what was typed stays
    assert _count() == 0


def test_ticks_with_all_dates_chosen_ask_which_was_meant(client, coordinator):
    series = coming_series(coordinator, count=3)
    response = _send(client, series, _form(which="all", dates=[str(series.dates[0].id)]))
    assert response.status_code == 422
    assert field_error(response.text, "dates") == (
        "You chose all upcoming dates: untick these, or choose only the dates you tick."
    )
    assert _count() == 0


@pytest.mark.parametrize("wrong", ["999999", "kolme", "2147483648"])
def test_a_date_that_is_not_the_series_is_a_form_error(client, coordinator, wrong):
    series = coming_series(coordinator, count=2)
    other = make_event()
    for value in (str(other.id), wrong):
        response = _send(client, series, _form(which="chosen", dates=[value]))
        assert response.status_code == 422
        assert field_error(response.text, "dates") in (
            "Choose dates from the list.",
            "Enter a smaller number.",
        )
    assert _count() == 0


def test_an_unknown_choice_of_which_dates_is_a_form_error(client, coordinator):
    series = coming_series(coordinator, count=2)
    response = _send(client, series, _form(which="kaikki"))
    assert response.status_code == 422
    assert field_error(response.text, "which") == (
        "Choose all upcoming dates, or the dates you tick."
    )
    assert _count() == 0


def test_without_consent_nothing_is_saved(client, coordinator):
    series = coming_series(coordinator, count=2)
    form = _form()
    del form["consent"]
    response = _send(client, series, form)
    assert response.status_code == 422
    assert field_error(response.text, "consent")
    assert _count() == 0


def test_a_date_that_closed_while_the_form_was_open_is_reported(client, coordinator):
    series = coming_series(coordinator, count=2)
    first, second = series.dates
    url = f"/series/{series.id}?lang=en"
    token = csrf_token(client.get(url).text)
    first.status, first.cancellation_reason = EventStatus.CANCELLED, "Peruttu"
    db.session.commit()
    form = _form(which="chosen", dates=[str(first.id), str(second.id)])
    response = client.post(url, data={"csrf_token": token, **form})
    text = page_text(client.get(response.headers["Location"]).text)
    assert "Registration was not open for these dates" in text
    assert [p.event_id for p in places_of("osallistuja1@example.fi")] == [second.id]
    # Every chosen date closed: the form says so, and nothing is saved.
    second.status, second.cancellation_reason = EventStatus.CANCELLED, "Peruttu"
    db.session.commit()
    refused = client.post(url, data={"csrf_token": token, **_form(2, which="all")})
    assert refused.status_code == 409
    assert "Registration is not open for any upcoming date" in page_text(refused.text)
    assert places_of("osallistuja2@example.fi") == []


def test_registering_again_says_so_and_gives_no_link(client, coordinator):
    series = coming_series(coordinator, count=2)
    take_series(series, 1)
    response = _send(client, series, _form())
    confirmation = client.get(response.headers["Location"])
    text = page_text(confirmation.text)
    assert "You were already registered" in text
    assert "/r/" not in confirmation.text.replace('href="/r/"', "")
    assert len(places_of("osallistuja1@example.fi")) == 2


def test_the_confirmation_is_only_for_the_one_who_registered(client, app, coordinator):
    series = coming_series(coordinator, count=2)
    _send(client, series, _form())
    stranger = app.test_client()
    response = stranger.get(f"/series/{series.id}/registered")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/series/{series.id}"


def test_the_honeypot_looks_like_success_and_stores_nothing(client, coordinator):
    series = coming_series(coordinator, count=2)
    response = _send(client, series, _form(website="http://spam.example"))
    assert response.status_code == 303
    assert _count() == 0


def test_no_open_date_no_form(client, coordinator):
    series = coming_series(coordinator, count=2)
    for event in series.dates:
        event.registration_opens_at = event.starts_at - timedelta(hours=2)
    db.session.commit()
    page = client.get(f"/series/{series.id}?lang=en")
    assert page.status_code == 200
    assert 'name="which"' not in page.text
    assert "Registration is not open for any upcoming date" in page_text(page.text)
    token = csrf_token(client.get("/login").text)
    assert client.post(f"/series/{series.id}", data={"csrf_token": token}).status_code == 409


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"HYTU_REGISTRATION_RATE_LIMIT": "3 per minute"}

    def test_the_series_form_and_the_event_form_share_one_limit(self, client, coordinator):
        series = coming_series(coordinator, count=2)
        event = make_event()
        url = f"/events/{event.id}/register"
        token = csrf_token(client.get(url).text)
        assert client.post(url, data={"csrf_token": token, **_form(1)}).status_code == 303
        assert client.post(url, data={"csrf_token": token, **_form(2)}).status_code == 303
        assert _send(client, series, _form(3)).status_code == 303
        assert _send(client, series, _form(4)).status_code == 429
        assert client.post(url, data={"csrf_token": token, **_form(5)}).status_code == 429
        assert _count() == 2 + 2


def test_list_and_event_page_mark_the_dates_of_a_series(client, coordinator):
    series = coming_series(coordinator, count=2)
    plain = make_event(title="HYTU-klinikka: Salla")
    html = client.get("/?lang=fi").text
    cards = re.findall(r'<li class="event-card[^"]*">(.*?)</li>', html, re.S)
    marked = [card for card in cards if f'href="/series/{series.id}"' in card]
    assert len(marked) == 2  # each date stays listed on its own
    assert "Osa sarjaa: HYTU-virtuaalikahvit" in page_text(marked[0])
    assert not any("Osa sarjaa" in card for card in cards if plain.title in card)
    page = page_text(client.get(f"/events/{series.dates[1].id}?lang=fi").text)
    assert "Osa sarjaa: HYTU-virtuaalikahvit · Joka toinen torstai klo 9.00–9.30" in page
    assert "Osa sarjaa" not in page_text(client.get(f"/events/{plain.id}").text)


def _list_queries(client) -> int:
    with counting_queries() as statements:
        response = client.get("/?lang=fi")
    assert response.status_code == 200
    return len(statements)


def test_the_list_costs_the_same_queries_however_many_series_it_shows(client, coordinator):
    make_event(title="Yksittäinen")
    coming_series(coordinator, count=2)
    few = _list_queries(client)
    for _ in range(3):
        coming_series(coordinator, count=3)
    many = _list_queries(client)
    assert html_count(client) == 1 + 2 + 9
    assert many == few


def html_count(client) -> int:
    return client.get("/?lang=fi").text.count('<li class="event-card')


def test_the_preview_of_a_draft_date_names_its_series_without_a_dead_link(staff, coordinator):
    drafts = coming_series(coordinator, count=2, publish=False)
    html = staff.get(f"/admin/events/{drafts.dates[0].id}/preview?lang=fi").text
    assert "Osa sarjaa: HYTU-virtuaalikahvit" in page_text(html)
    assert f'href="/series/{drafts.id}"' not in html  # the series page is not public yet
