"""A popular clinic opens and everybody presses "register" at once.

The app is served on a real socket with a thread per request and hit by many clients at the
same moment. Seat counting is slowed a little (the same in every run) so that the window
between "is there a seat?" and "take it" is wide: with the lock nothing goes wrong; without
it (the control run) the event is overbooked, which proves the lock is what prevents it.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Language, Registration, RegistrationStatus
from hytu_events.registrations import operations
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.tokens import self_service_token
from tests.helpers import make_event, organisation
from tests.live import serving

C, W, X = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


@pytest.fixture
def app_config():
    return {
        # Load, not these features, is under test here.
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 30, "pool_timeout": 120},
    }


@pytest.fixture(autouse=True)
def slow_seat_counting(monkeypatch):
    original = operations.free_seats

    def slowly(event):
        seats = original(event)
        time.sleep(0.01)
        return seats

    monkeypatch.setattr(operations, "free_seats", slowly)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _client():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
    )


def _post(opener, url: str, form: dict) -> tuple[int, str]:
    try:
        with opener.open(url, data=urlencode(form).encode(), timeout=120) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def _get_text(opener, url: str) -> str:
    with opener.open(url, timeout=120) as response:
        return response.read().decode()


def _all_at_once(jobs: list) -> list:
    """Run every job in its own thread, released together."""
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _form(n: int, email: str | None = None) -> dict:
    return {
        "name": f"Osallistuja {n}",
        "email": email or f"osallistuja{n}@example.fi",
        "organisation": str(organisation("lapin-poliisilaitos").id),
        "municipality": "",
        "language": "en",
        "consent": "y",
    }


def _rows(event) -> list[Registration]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(Registration.id)
        )
    )


def _register_everyone(app, event, forms: list[dict]) -> list[tuple[int, str]]:
    with serving(app) as base:
        url = f"{base}/events/{event.id}/register?lang=en"

        def job_for(form):
            def job():
                opener = _client()
                status, location = _post(opener, url, form)
                page = _get_text(opener, base + location) if status == 303 else ""
                return status, page

            return job

        return _all_at_once([job_for(form) for form in forms])


def test_two_hundred_at_once_for_fifty_seats(app):
    event = make_event(capacity=50)
    results = _register_everyone(app, event, [_form(n) for n in range(200)])

    assert sorted({status for status, _ in results}) == [303]  # no 5xx, nobody turned away
    rows = _rows(event)
    assert len(rows) == 200
    assert len({r.email for r in rows}) == 200
    confirmed = [r for r in rows if r.status is C]
    waiting = [r for r in rows if r.status is W]
    assert len(confirmed) == 50 and len(waiting) == 150
    # Arrival order: who got the lock first got the seat, and the list follows the lock order.
    assert max(r.id for r in confirmed) < min(r.id for r in waiting)
    assert [r.id for r in sorted(waiting, key=lambda r: (r.created_at, r.id))] == [
        r.id for r in waiting
    ]
    # Everybody was told the truth: 50 confirmations and waiting places 1..150.
    told_confirmed = sum("Your place is confirmed" in page for _, page in results)
    positions = sorted(
        int(m.group(1))
        for _, page in results
        if (m := re.search(r"You are number (\d+) on the waiting list", page))
    )
    assert told_confirmed == 50
    assert positions == list(range(1, 151))


def test_fifty_duplicates_of_one_email_make_one_registration(app):
    event = make_event(capacity=50)
    results = _register_everyone(app, event, [_form(n, "same@example.fi") for n in range(50)])
    assert sorted({status for status, _ in results}) == [303]
    rows = _rows(event)
    assert len(rows) == 1
    assert sum("Your place is confirmed" in page for _, page in results) == 1
    assert sum("You were already registered" in page for _, page in results) == 49


@pytest.mark.parametrize(
    "app_config",
    [
        {
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "HYTU_CAPACITY_LOCK": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 30, "pool_timeout": 120},
        }
    ],
    ids=["lock-off"],
)
def test_control_without_the_lock_the_event_is_overbooked(app):
    event = make_event(capacity=50)
    _register_everyone(app, event, [_form(n) for n in range(200)])
    confirmed = [r for r in _rows(event) if r.status is C]
    assert len(confirmed) > 50, "without the lock the race should overbook"


def test_cancelling_under_load_promotes_exactly_as_many_as_were_freed(app):
    event = make_event(capacity=50)
    people = []
    for n in range(150):
        people.append(
            register(
                event.id,
                ParticipantDetails(
                    name=f"Osallistuja {n}",
                    email=f"osallistuja{n}@example.fi",
                    organisation_id=organisation("spek").id,
                    organisation_other=None,
                    municipality_id=None,
                    job_title=None,
                    needs=None,
                    language=Language.FI,
                ),
            ).registration
        )
        db.session.commit()
    leaving = people[:30]
    first_waiting = [p.id for p in people[50:80]]
    tokens = [self_service_token(p) for p in leaving]

    with serving(app) as base:

        def job_for(token):
            return lambda: _post(_client(), f"{base}/r/{token}/cancel", {})[0]

        statuses = _all_at_once([job_for(token) for token in tokens])

    assert set(statuses) == {303}
    rows = {r.id: r for r in _rows(event)}
    assert sum(r.status is C for r in rows.values()) == 50
    assert sum(r.status is X for r in rows.values()) == 30
    assert sum(r.status is W for r in rows.values()) == 70
    assert all(rows[i].status is C and rows[i].promoted_at for i in first_waiting)
