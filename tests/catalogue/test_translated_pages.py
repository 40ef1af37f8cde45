"""Public pages show an event's and a series' texts in the reader's language; a Finnish text
shown because no translation was entered is marked lang="fi" (WCAG 3.1.2), so that a screen
reader reads it with Finnish rules."""

from __future__ import annotations

import pytest

from hytu_events.extensions import db
from tests.helpers import make_event, page_text
from tests.series.helpers import make_upcoming_series

SWEDISH = {"title_sv": "HYTU-klinik: Enare", "description_sv": "Kommunens HYTU-arbetsgrupp."}


def test_the_event_page_in_swedish_shows_the_swedish_texts_unmarked(client):
    event = make_event(**SWEDISH)
    html = client.get(f"/events/{event.id}?lang=sv").text
    assert "<h1>HYTU-klinik: Enare</h1>" in html
    assert "<title>HYTU-klinik: Enare" in html
    assert '<div class="event__description">\n' in html
    assert "Kommunens HYTU-arbetsgrupp." in html
    assert "HYTU-klinikka: Inari" not in page_text(html.split('<main id="main"', 1)[1])


def test_the_event_page_in_english_marks_the_finnish_texts_it_falls_back_to(client):
    event = make_event(**SWEDISH)
    html = client.get(f"/events/{event.id}?lang=en").text
    assert '<h1><span lang="fi">HYTU-klinikka: Inari</span></h1>' in html
    assert '<div class="event__description" lang="fi">' in html
    # The page's title element holds text only: no markup in it.
    assert "<title>HYTU-klinikka: Inari" in html


def test_the_finnish_page_needs_no_marks(client):
    event = make_event(**SWEDISH)
    html = client.get(f"/events/{event.id}?lang=fi").text
    assert "<h1>HYTU-klinikka: Inari</h1>" in html
    assert 'lang="fi"' not in html.split('<main id="main"', 1)[1]


@pytest.mark.parametrize("path", ["/?lang=sv", "/embed/events?lang=sv"])
def test_lists_show_the_readers_titles_and_mark_the_fallbacks(client, path):
    make_event(**SWEDISH)
    make_event(title="Virtuaalikahvit", title_en="Virtual coffee")
    html = client.get(path).text
    assert ">HYTU-klinik: Enare</a>" in html
    assert '<span lang="fi">Virtuaalikahvit</span></a>' in html


def test_the_registration_form_names_the_event_in_the_readers_language(client):
    event = make_event(title_en="HYTU clinic: Inari")
    html = client.get(f"/events/{event.id}/register?lang=en").text
    assert '<span class="subtitle">HYTU clinic: Inari</span>' in html
    html = client.get(f"/events/{event.id}/register?lang=sv").text
    assert '<span class="subtitle"><span lang="fi">HYTU-klinikka: Inari</span></span>' in html


def test_a_series_page_shows_the_series_texts_in_the_readers_language(client):
    series = make_upcoming_series(title_sv="Virtuellt kaffe varje vecka")
    db.session.commit()
    # The series' texts carry to its dates.
    assert {date.title_sv for date in series.dates} == {"Virtuellt kaffe varje vecka"}
    html = client.get(f"/series/{series.id}?lang=sv").text
    assert "<h1>Virtuellt kaffe varje vecka</h1>" in html
    assert '<div class="event__description" lang="fi">' in html
    english = client.get(f"/series/{series.id}?lang=en").text
    assert '<h1><span lang="fi">HYTU-virtuaalikahvit</span></h1>' in english
