"""The series' pages of the back office through HTTP: what coordinators and viewers see, and the
changes made there."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from hytu_events.events.operations import cancel_event
from hytu_events.extensions import db
from hytu_events.local_time import utc_to_local
from hytu_events.models import Event, EventStatus
from hytu_events.outcomes.models import Outcome
from hytu_events.series import operations
from hytu_events.series.models import Series
from tests.helpers import counting_queries, csrf_token, field_error, page_text, post_form
from tests.registrations.people import register_people
from tests.series.helpers import coffee_details, every_other_thursday, make_series


def _form_of(series: Series, event: Event, **changes) -> dict:
    """The edit form of a date as the page fills it, with `changes`."""
    start, end = utc_to_local(event.starts_at), utc_to_local(event.ends_at)
    return {
        "scope": "this",
        "kind": event.kind.value,
        "title": event.title,
        "description": event.description,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "online_url": event.online_url or "",
        "online_url_public": "y",
        "capacity": str(event.capacity or ""),
        **changes,
    }


def _edit_url(series: Series, event: Event) -> str:
    return f"/admin/series/{series.id}/dates/{event.id}/edit?lang=en"


@pytest.mark.parametrize(
    ("language", "rule"),
    [
        ("fi", "Joka toinen torstai klo 9.00–9.30, 11.3.–22.4.2027"),
        ("sv", "Varannan torsdag kl. 09:00–09:30, 11 mars–22 apr. 2027"),
        ("en", "Every other Thursday at 09:00 – 09:30, Mar 11 – Apr 22, 2027"),
    ],
)
def test_the_series_page_says_its_rule_in_the_readers_language(staff, coordinator, language, rule):
    series = make_series(coordinator, count=4)
    db.session.commit()
    text = page_text(staff.get(f"/admin/series/{series.id}?lang={language}").text)
    assert rule in text


def test_each_date_with_its_state_places_and_links(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    first, second, third = series.dates
    register_people(first, 3)
    cancel_event(second.id, "Ei tällä kertaa.")
    db.session.commit()
    html = staff.get(f"/admin/series/{series.id}?lang=en").text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
    assert len(rows) == 3
    first_row, second_row, third_row = (page_text(row) for row in rows)
    assert "Published" in first_row and "3 / 20" in first_row and " 17 " in first_row
    assert "Cancelled" in second_row
    assert f"/admin/events/{first.id}/participants" in rows[0]
    assert f"/admin/series/{series.id}/dates/{first.id}/edit" in rows[0]
    assert f"/admin/events/{first.id}/cancel" in rows[0]
    assert f"/admin/series/{series.id}/dates/{second.id}/edit" not in rows[1]
    assert "3 dates: 2 published, 0 drafts, 1 cancelled" in page_text(html)


def test_viewers_read_the_series_but_see_no_changes(viewer_client, coordinator):
    series = make_series(coordinator, count=2, publish=False)
    db.session.commit()
    html = viewer_client.get(f"/admin/series/{series.id}?lang=en").text
    assert series.title in html
    for change in ("/edit", "/end", "/message", "/publish", "/delete", "/cancel"):
        assert change not in html


def test_attendance_across_the_dates_held_as_a_chart_and_a_table(staff, coordinator):
    first = datetime(2026, 10, 1, 9)  # every other Thursday in the autumn: all held
    series = operations.create_series(
        coffee_details(first),
        every_other_thursday(4, first_date=first.date()),
        coordinator,
        publish=True,
    )
    db.session.commit()
    for event, people in zip(series.dates[:3], (7, 5, 9), strict=True):
        db.session.add(Outcome(event_id=event.id, manual_attendance=people))
    db.session.commit()
    html = staff.get(f"/admin/series/{series.id}?lang=fi").text
    figure = html[html.index('<figure class="chart-figure') : html.index("</figure>")]
    assert '<svg class="chart" aria-hidden="true"' in figure
    table = page_text(figure)
    assert "1.10. 7" in table and "15.10. 5" in table and "29.10. 9" in table
    assert "12.11. 0" in table  # held, nobody counted


def test_no_attendance_before_the_first_date(staff, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    html = staff.get(f"/admin/series/{series.id}?lang=en").text
    assert "No date of the series has been held yet." in html and "<figure" not in html


def test_an_event_page_of_a_date_links_to_its_series(staff, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    html = staff.get(f"/admin/events/{series.dates[1].id}?lang=en").text
    assert f'href="/admin/series/{series.id}"' in html
    assert f'href="/admin/series/{series.id}/dates/{series.dates[1].id}/edit"' in html


def test_the_list_of_series(staff, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    text = page_text(staff.get("/admin/series?lang=en").text)
    assert series.title in text and "Every other Thursday" in text
    assert "/admin/series" in staff.get("/admin/events?lang=en").text


def test_editing_all_dates_through_the_page(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    second = series.dates[1]
    data = _form_of(series, second, scope="all", starts_at="2027-03-25T10:00")
    data["ends_at"] = "2027-03-25T11:00"
    response = post_form(staff, _edit_url(series, second), data)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/series/{series.id}"
    db.session.expire_all()
    times = [utc_to_local(e.starts_at).time() for e in db.session.get(Series, series.id).dates]
    assert times == [time(10)] * 3


def test_this_and_the_following_dates_lead_to_the_new_series(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    second = series.dates[1]
    response = post_form(
        staff, _edit_url(series, second), _form_of(series, second, scope="following")
    )
    (rest,) = db.session.scalars(sa.select(Series).where(Series.id != series.id)).all()
    assert response.headers["Location"] == f"/admin/series/{rest.id}"
    assert [e.id for e in rest.dates] == [e.id for e in series.dates[1:]]


def test_this_date_only_moves_one_date(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    second = series.dates[1]
    data = _form_of(series, second, starts_at="2027-03-26T13:00", ends_at="2027-03-26T13:30")
    assert post_form(staff, _edit_url(series, second), data).status_code == 303
    db.session.expire_all()
    dates = db.session.get(Series, series.id).dates
    assert [utc_to_local(e.starts_at) for e in dates] == [
        datetime(2027, 3, 11, 9),
        datetime(2027, 3, 26, 13),
        datetime(2027, 4, 8, 9),
    ]
    assert utc_to_local(dates[1].recurrence_id) == datetime(2027, 3, 25, 9)


def test_several_dates_moved_to_another_day_is_a_message(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    second = series.dates[1]
    data = _form_of(
        series, second, scope="all", starts_at="2027-03-26T09:00", ends_at="2027-03-26T09:30"
    )
    response = post_form(staff, _edit_url(series, second), data)
    assert response.status_code == 200
    assert "Mar 25" in field_error(response.text, "starts_at")
    db.session.expire_all()
    assert utc_to_local(db.session.get(Event, second.id).starts_at) == datetime(2027, 3, 25, 9)


def test_fewer_places_than_confirmed_at_another_date_names_that_date(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    register_people(series.dates[2], 4)
    first = series.dates[0]
    data = _form_of(series, first, scope="all", capacity="3")
    response = post_form(staff, _edit_url(series, first), data)
    assert response.status_code == 200
    assert field_error(response.text, "capacity") == (
        "4 people are already confirmed on Apr 8: the number of places cannot be lower."
    )
    db.session.expire_all()
    assert {e.capacity for e in db.session.get(Series, series.id).dates} == {20}


def test_a_date_of_another_series_is_not_found(staff, coordinator):
    one, other = make_series(coordinator, count=1), make_series(coordinator, count=1)
    db.session.commit()
    assert staff.get(_edit_url(one, other.dates[0])).status_code == 404


def test_adding_and_removing_dates_at_the_end(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    url = f"/admin/series/{series.id}/end?lang=en"
    response = post_form(staff, url, {"ends": "after", "number_of_dates": "5"})
    assert response.status_code == 303
    assert "2 dates added." in page_text(staff.get(response.headers["Location"]).text)
    response = post_form(staff, url, {"ends": "on_date", "ends_on": "2027-03-25"})
    assert field_error(response.text, "reason") == (
        "Published dates are removed: tell participants why they are cancelled."
    )
    data = {"ends": "on_date", "ends_on": "2027-03-25", "reason": "Kevät päättyy."}
    assert post_form(staff, url, data).status_code == 303
    db.session.expire_all()
    statuses = [e.status for e in db.session.get(Series, series.id).dates]
    assert statuses == [EventStatus.PUBLISHED] * 2 + [EventStatus.CANCELLED] * 3
    response = post_form(staff, url, {"ends": "after", "number_of_dates": "105"})
    assert field_error(response.text, "number_of_dates") == "Enter a number from 1 to 104."


def test_publish_all_drafts_then_the_delete_button_is_gone(staff, coordinator):
    series = make_series(coordinator, count=2, publish=False)
    db.session.commit()
    page = staff.get(f"/admin/series/{series.id}?lang=en")
    assert "Delete the series and its drafts" in page.text
    token = {"csrf_token": csrf_token(page.text)}
    response = staff.post(f"/admin/series/{series.id}/publish?lang=en", data=token)
    assert response.status_code == 303
    page = staff.get(f"/admin/series/{series.id}?lang=en")
    assert "2 dates were published." in page_text(page.text)
    assert "Delete the series" not in page.text
    assert staff.post(f"/admin/series/{series.id}/delete", data=token).status_code == 409
    assert staff.post(f"/admin/series/{series.id}/publish", data=token).status_code == 409


def test_deleting_a_series_of_drafts(staff, coordinator):
    series = make_series(coordinator, count=2, publish=False)
    db.session.commit()
    series_id = series.id
    page = staff.get(f"/admin/series/{series_id}")
    response = staff.post(
        f"/admin/series/{series_id}/delete", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.headers["Location"] == "/admin/series"
    db.session.expunge_all()
    assert db.session.get(Series, series_id) is None
    assert staff.get(f"/admin/series/{series_id}").status_code == 404


def test_the_end_page_starts_from_the_series_end(staff, coordinator):
    series = make_series(coordinator, count=4)
    db.session.commit()
    html = staff.get(f"/admin/series/{series.id}/end?lang=en").text
    assert 'value="4"' in html
    assert re.search(r'<input[^>]*checked[^>]*value="after"|value="after"[^>]*checked', html)
    assert date(2027, 4, 22).isoformat() not in html  # no end day was set


def test_cancelling_one_date_on_its_own_page_leaves_the_others(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    second = series.dates[1]
    response = post_form(
        staff, f"/admin/events/{second.id}/cancel?lang=en", {"reason": "Kouluttaja sairastui."}
    )
    assert response.status_code == 303
    db.session.expire_all()
    dates = db.session.get(Series, series.id).dates
    assert [e.status for e in dates] == [
        EventStatus.PUBLISHED,
        EventStatus.CANCELLED,
        EventStatus.PUBLISHED,
    ]
    assert db.session.get(Series, series.id).revision == 0  # the series itself is as it was
    html = staff.get(f"/admin/series/{series.id}?lang=en").text
    assert "3 dates: 2 published, 0 drafts, 1 cancelled" in page_text(html)


def test_the_series_page_costs_the_same_queries_for_3_dates_or_12(staff, coordinator):
    few_dates = make_series(coordinator, count=3)
    many_dates = make_series(coordinator, count=12)
    db.session.commit()
    for series in (few_dates, many_dates):
        register_people(series.dates[0], 2, prefix=f"Sarja{series.id}")
    counts = []
    for series in (few_dates, many_dates):
        with counting_queries() as statements:
            assert staff.get(f"/admin/series/{series.id}?lang=en").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
