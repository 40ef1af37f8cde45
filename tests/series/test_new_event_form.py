"""A series from the new-event form's "Repeats": through HTTP, in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Event, EventStatus, Frequency
from hytu_events.series.models import Series
from tests.helpers import field_error, page_text, post_form

#: Thursday 11 March 2027, before the change to summer time on 28 March.
FIRST = {
    "kind": "virtual_coffee",
    "title": "HYTU-virtuaalikahvit",
    "description": "",
    "starts_at": "2027-03-11T09:00",
    "ends_at": "2027-03-11T09:30",
    "online_url": "https://teams.example/meet/kahvit",
    "capacity": "20",
}
EVERY_OTHER_THURSDAY = {
    **FIRST,
    "repeats": "weekly",
    "every": "2",
    "weekdays": ["TH"],
    "ends": "after",
    "number_of_dates": "4",
}


def _series() -> list[Series]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Series)))


def _event_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def test_a_weekly_series_from_the_form_leads_to_its_page(staff, coordinator):
    response = post_form(staff, "/admin/events/new?lang=en", EVERY_OTHER_THURSDAY)
    assert response.status_code == 303
    (series,) = _series()
    assert response.headers["Location"] == f"/admin/series/{series.id}"
    assert (series.frequency, series.every, series.weekdays) == (Frequency.WEEKLY, 2, "TH")
    assert [e.starts_at for e in series.dates] == [
        datetime(2027, 3, 11, 7, tzinfo=UTC),
        datetime(2027, 3, 25, 7, tzinfo=UTC),
        datetime(2027, 4, 8, 6, tzinfo=UTC),  # 9:00 summer time
        datetime(2027, 4, 22, 6, tzinfo=UTC),
    ]
    assert {e.status for e in series.dates} == {EventStatus.DRAFT}
    assert all(e.coordinators == [coordinator] for e in series.dates)
    page = staff.get(response.headers["Location"])
    assert "4 dates, as drafts" in page_text(page.text)


def test_no_repeat_chosen_is_one_event_as_before(staff):
    response = post_form(staff, "/admin/events/new", FIRST)
    assert response.status_code == 303
    assert _series() == [] and _event_count() == 1


def test_several_weekdays_and_an_end_date(staff):
    data = {
        **EVERY_OTHER_THURSDAY,
        "every": "1",
        "weekdays": ["TU", "TH"],
        "ends": "on_date",
        "ends_on": "2027-03-18",
    }
    post_form(staff, "/admin/events/new", data)
    (series,) = _series()
    days = [e.starts_at.date() for e in series.dates]
    assert days == [date(2027, 3, 11), date(2027, 3, 16), date(2027, 3, 18)]
    assert (series.ends_on, series.number_of_dates) == (date(2027, 3, 18), None)


def test_no_weekday_chosen_repeats_on_the_first_dates_day(staff):
    post_form(staff, "/admin/events/new", {**EVERY_OTHER_THURSDAY, "weekdays": []})
    (series,) = _series()
    assert series.weekdays == "TH"


def test_the_last_thursday_of_each_month(staff):
    data = {
        **FIRST,
        "starts_at": "2027-03-25T09:00",
        "ends_at": "2027-03-25T09:30",
        "repeats": "monthly",
        "every": "1",
        "week_of_month": "-1",
        "ends": "after",
        "number_of_dates": "3",
    }
    post_form(staff, "/admin/events/new", data)
    (series,) = _series()
    assert (series.frequency, series.week_of_month) == (Frequency.MONTHLY, -1)
    assert [e.starts_at.date() for e in series.dates] == [
        date(2027, 3, 25),
        date(2027, 4, 29),
        date(2027, 5, 27),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "messages"),
    [
        (
            {"weekdays": ["MO"]},
            "weekdays",
            {
                "en": "The first date is a Thursday: choose that day too, or change the first "
                "date.",
                "fi": "Ensimmäisen kerran viikonpäivä on torstai: valitse myös se tai vaihda "
                "ensimmäisen kerran aika.",
                "sv": "Det första tillfället är en torsdag: välj också den dagen eller ändra det "
                "första tillfället.",
            },
        ),
        (
            {"number_of_dates": "105"},
            "number_of_dates",
            {
                "en": "A series has at most 104 dates: end it sooner.",
                "fi": "Sarjassa voi olla enintään 104 kertaa: päätä se aiemmin.",
                "sv": "En serie kan ha högst 104 tillfällen: avsluta den tidigare.",
            },
        ),
        (
            {"ends": "on_date", "ends_on": "2027-03-01"},
            "ends_on",
            {
                "en": "The last day cannot be before the first date.",
                "fi": "Viimeinen päivä ei voi olla ennen ensimmäistä kertaa.",
                "sv": "Den sista dagen kan inte vara före det första tillfället.",
            },
        ),
        (
            {"repeats": "monthly", "week_of_month": "1"},
            "week_of_month",
            {
                "en": "The first date is not the first Thursday of its month.",
                "fi": "Ensimmäinen kerta ei ole kuukautensa ensimmäinen torstai.",
                "sv": "Det första tillfället är inte månadens första torsdag.",
            },
        ),
        (
            {"number_of_dates": ""},
            "number_of_dates",
            {
                "en": "Enter how many dates the series has.",
                "fi": "Kirjoita, montako kertaa sarjassa on.",
                "sv": "Ange hur många tillfällen serien har.",
            },
        ),
    ],
)
@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_a_rule_that_makes_no_series_is_a_message_at_its_field(
    staff, changes, field, messages, language
):
    response = post_form(
        staff, f"/admin/events/new?lang={language}", {**EVERY_OTHER_THURSDAY, **changes}
    )
    assert response.status_code == 200
    assert field_error(response.text, field) == messages[language]
    assert 'id="error-summary"' in response.text
    assert _event_count() == 0 and _series() == []


@pytest.mark.parametrize(
    ("language", "kinds", "repeats"),
    [
        ("sv", ["HYTU-klinik", "Virtuellt kaffe"], ["Upprepas inte", "Varje vecka"]),
        ("fi", ["HYTU-klinikka", "Virtuaalikahvit"], ["Ei toistu", "Viikoittain"]),
        ("en", ["HYTU clinic", "Virtual coffee"], ["Does not repeat", "Weekly"]),
    ],
)
def test_the_form_is_in_the_readers_language(staff, language, kinds, repeats):
    text = page_text(staff.get(f"/admin/events/new?lang={language}").text)
    for word in kinds + repeats:
        assert word in text
