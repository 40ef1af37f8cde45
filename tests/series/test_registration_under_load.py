"""Everybody registers for a whole series at once: capacity holds at every date.

The pattern of tests/registrations/test_under_load.py: the app on a real socket with a thread
per request, every client released at the same moment, and the race window holding each seat
change between reading the count and writing, per date, until the rest of the burst has read
that date too or waits at a lock. Each registration locks its three dates (in id order) before
counting any of them. The control run replaces the lock alone with a plain read: then every
one of the burst takes a seat at every date.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Registration, RegistrationStatus
from tests.helpers import organisation
from tests.live import serving
from tests.registrations.race import all_at_once, get_text, http_client, post
from tests.registrations.race import race_window as race_window  # noqa: F401 - a fixture
from tests.series.registering import coming_series

C, W = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


@pytest.fixture
def app_config():
    return {
        # Load, not these features, is under test here.
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 30, "pool_timeout": 120},
    }


def _form(n: int) -> dict:
    return {
        "which": "all",
        "name": f"Osallistuja {n}",
        "email": f"osallistuja{n}@example.fi",
        "organisation": str(organisation("lapin-poliisilaitos").id),
        "municipality": "",
        "language": "en",
        "consent": "y",
    }


def _register_everyone(app, series, count: int) -> list[tuple[int, str]]:
    with serving(app) as base:
        url = f"{base}/series/{series.id}?lang=en"

        def job_for(form):
            def job():
                opener = http_client()
                status, location = post(opener, url, form)
                page = get_text(opener, base + location) if status == 303 else ""
                return status, page

            return job

        return all_at_once([job_for(_form(n)) for n in range(count)])


def _rows(event) -> list[Registration]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(Registration.created_at, Registration.id)
        )
    )


def test_a_hundred_and_twenty_at_once_for_three_dates_of_ten_seats(app, coordinator, race_window):
    series = coming_series(coordinator, count=3, capacity=10)
    window = race_window(120)
    results = _register_everyone(app, series, 120)

    assert sorted({status for status, _ in results}) == [303]  # no 5xx, no deadlock
    assert not window.timed_out and window.read == 360
    confirmed_by_date, waiting_by_date = [], []
    for event in series.dates:
        rows = _rows(event)
        assert len(rows) == 120 and len({r.email for r in rows}) == 120  # nobody lost
        confirmed = [r.email for r in rows if r.status is C]
        waiting = [r.email for r in rows if r.status is W]
        assert len(confirmed) == 10 and len(waiting) == 110
        confirmed_by_date.append(confirmed)
        waiting_by_date.append(waiting)
    # One lock order for everybody: whoever got the first date got every date, and the
    # waiting lists of the three dates are in the same order.
    assert confirmed_by_date[0] == confirmed_by_date[1] == confirmed_by_date[2]
    assert waiting_by_date[0] == waiting_by_date[1] == waiting_by_date[2]
    # Everybody was told the truth: 10 confirmations, waiting places 1..110 (the same at each).
    pages = [page for _, page in results]
    assert sum("Your place is confirmed at these dates" in page for page in pages) == 10
    positions = []
    for page in pages:
        told = re.findall(r"number (\d+) on the waiting list", page)
        if told:
            assert len(told) == 3 and len(set(told)) == 1
            positions.append(int(told[0]))
    assert sorted(positions) == list(range(1, 111))
    assert window.most_at_once == 1  # nobody read a count while another was about to write


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("lock", [True, False], ids=["lock-on", "lock-off"])
def test_control_twelve_at_once_for_three_dates_of_four_seats(app, coordinator, race_window, lock):
    """With the lock exactly four per date; without it all twelve read "four free" at each
    date before anyone wrote, and all twelve got a seat at every date. (SQLite has no run
    without the lock: the first date's insert takes its write lock until commit.)"""
    series = coming_series(coordinator, count=3, capacity=4)
    window = race_window(12, lock=lock)
    results = _register_everyone(app, series, 12)

    assert sorted({status for status, _ in results}) == [303]
    assert not window.timed_out and window.read == 36
    confirmed = [sum(r.status is C for r in _rows(event)) for event in series.dates]
    if lock:
        assert confirmed == [4, 4, 4]
        assert window.most_at_once == 1
    else:
        assert confirmed == [12, 12, 12], "without the lock every one of the burst takes a seat"
        assert window.most_at_once == 12
