"""One way of writing dates and numbers (hytu_events.i18n): a page writes every moment as it
writes an event's start, months by name, numbers in the reader's style."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale

from hytu_events import i18n
from hytu_events.extensions import db
from hytu_events.models import EventStatus, Role
from hytu_events.outcomes.models import Outcome
from tests.accounts.helpers import log_in, make_user
from tests.helpers import make_event, page_text

#: 9.00 to 11.00 in Helsinki (UTC+2 in December).
START = datetime(2026, 12, 23, 7, 0, tzinfo=UTC)
END = datetime(2026, 12, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "closes", "start"),
    [
        ("sv", "Stänger", "ons 23 dec. 2026 09:00"),
        ("en", "Closes", "Wed, Dec 23, 2026 09:00"),
        ("fi", "Päättyy", "ke 23.12.2026 9.00"),
    ],
)
def test_the_closing_time_is_written_as_the_events_start(app, client, language, closes, start):
    """Registration closes when the event starts: the two read alike, on the public page and
    in the back office."""
    event = make_event(starts_at=START, ends_at=END, status=EventStatus.PUBLISHED)
    public = page_text(client.get(f"/events/{event.id}?lang={language}").text)
    assert start in public, public  # the event's time: its start, then the end
    assert f"{closes} {start}" in public, public
    log_in(client, make_user(Role.VIEWER, email="katsoja@example.fi"))
    back_office = page_text(client.get(f"/admin/events/{event.id}?lang={language}").text)
    assert start in back_office and f"{closes} {start}" in back_office, back_office
    for machine in ("2026-12-23", "12/23/26", "23.12.2026 klo"):
        assert machine not in public and machine not in back_office


@pytest.mark.parametrize(
    ("language", "month"), [("fi", "loka 2025"), ("sv", "okt. 2025"), ("en", "Oct 2025")]
)
def test_chart_months_are_named_in_the_readers_language(app, client, language, month):
    held = datetime(2025, 10, 14, 8, 0, tzinfo=UTC)
    event = make_event(starts_at=held, ends_at=held.replace(hour=10), status=EventStatus.PUBLISHED)
    db.session.add(Outcome(event_id=event.id, manual_attendance=12))
    db.session.commit()
    log_in(client, make_user(Role.VIEWER, email="katsoja@example.fi"))
    html = client.get(f"/admin/dashboard?year=2025&lang={language}").text
    chart = html.split('id="chart-months"', 1)[1].split("</section>", 1)[0]
    assert f">{month}</text>" in chart  # the bar's label
    assert f'<th scope="row">{month}</th>' in chart  # the table beside it
    assert "2025-10" not in chart


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", ("ke 23.12.2026 9.00", "23.12.2026", "joulu 2026", "9.00", "12 345,5", "85 %")),
        (
            "sv",
            ("ons 23 dec. 2026 09:00", "23 dec. 2026", "dec. 2026", "09:00", "12 345,5", "85 %"),
        ),
        ("en", ("Wed, Dec 23, 2026 09:00", "Dec 23, 2026", "Dec 2026", "09:00", "12,345.5", "85%")),
    ],
)
def test_the_helpers_write_each_language_in_its_own_style(app, language, expected):
    with app.test_request_context(), force_locale(language):
        written = (
            i18n.moment(START),
            i18n.day(date(2026, 12, 23)),
            i18n.month(date(2026, 12, 1)),
            i18n.clock(time(9, 0)),
            i18n.number(12345.5),
            i18n.percent(85),
        )
    assert tuple(text.replace("\xa0", " ") for text in written) == expected


def test_a_moment_is_a_day_on_the_networks_clock(app):
    """23.30 UTC on New Year's Eve is already the first of January in Helsinki."""
    with app.test_request_context(), force_locale("fi"):
        assert i18n.day(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1.1.2027"
        assert i18n.moment(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "pe 1.1.2027 1.30"


def test_machine_time_is_valid_html_without_microseconds(app):
    moment = datetime(2026, 12, 10, 9, 0, 0, 123456, tzinfo=UTC).astimezone()
    assert i18n.machine_time(moment) == "2026-12-10T09:00:00Z"
