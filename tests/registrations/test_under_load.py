"""A popular clinic opens and everybody presses "register" at once; then many cancel at once.

The app is served on a real socket with a thread per request and hit by many clients at the
same moment. A race window (`RaceWindow`) holds each seat change between reading (the seat
count; for a promotion, the waiting list after it) and writing, until every change of the burst
has read too or one of them waits at the event lock. With the lock nothing goes wrong, and the
window closes as soon as the next change waits at the lock. The control runs replace the lock
alone (`locking.lock_for_update`) with a plain read of the same row, everything else running
as in production: then every change of the burst decides on the same reading, and the race
shows every time.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.models import Language, Registration, RegistrationStatus
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.tokens import self_service_token
from tests.helpers import make_event, organisation
from tests.live import serving
from tests.registrations.race import all_at_once, get_text, http_client, post

C, W, X = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


@pytest.fixture
def app_config():
    return {
        # Load, not these features, is under test here.
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 30, "pool_timeout": 120},
    }


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
                opener = http_client()
                status, location = post(opener, url, form)
                page = get_text(opener, base + location) if status == 303 else ""
                return status, page

            return job

        return all_at_once([job_for(form) for form in forms])


def _told(results: list[tuple[int, str]]) -> tuple[int, list[int]]:
    """How many pages said "confirmed", and the waiting-list places the others were told."""
    confirmed = sum("Your place is confirmed" in page for _, page in results)
    positions = sorted(
        int(m.group(1))
        for _, page in results
        if (m := re.search(r"You are number (\d+) on the waiting list", page))
    )
    return confirmed, positions


def test_two_hundred_at_once_for_fifty_seats(app, race_window):
    event = make_event(capacity=50)
    window = race_window(200)
    results = _register_everyone(app, event, [_form(n) for n in range(200)])

    assert sorted({status for status, _ in results}) == [303]  # no 5xx, nobody turned away
    assert not window.timed_out and window.read == 200
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
    assert _told(results) == (50, list(range(1, 151)))
    assert window.most_at_once == 1  # nobody read the count while another was about to write


def test_fifty_duplicates_of_one_email_make_one_registration(app):
    event = make_event(capacity=50)
    results = _register_everyone(app, event, [_form(n, "same@example.fi") for n in range(50)])
    assert sorted({status for status, _ in results}) == [303]
    rows = _rows(event)
    assert len(rows) == 1
    assert sum("Your place is confirmed" in page for _, page in results) == 1
    assert sum("You were already registered" in page for _, page in results) == 49


@pytest.mark.parametrize("lock", [True, False], ids=["lock-on", "lock-off"])
def test_control_twenty_at_once_for_five_seats(app, race_window, lock):
    """One burst, with and without the lock: with it exactly the five seats are taken;
    without it all twenty read "five free" before anyone wrote, and all twenty got a seat."""
    event = make_event(capacity=5)
    window = race_window(20, lock=lock)
    results = _register_everyone(app, event, [_form(n) for n in range(20)])

    assert sorted({status for status, _ in results}) == [303]
    assert not window.timed_out and window.read == 20
    confirmed = sum(r.status is C for r in _rows(event))
    if lock:
        assert confirmed == 5
        assert _told(results) == (5, list(range(1, 16)))
        assert window.most_at_once == 1
    else:
        assert confirmed == 20, "without the lock every one of the burst takes a seat"
        assert _told(results) == (20, [])
        assert window.most_at_once == 20


def _fill(event, count: int) -> list[Registration]:
    people = []
    for n in range(count):
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
    return people


def _promotion_messages(event) -> list[int]:
    """Registration ids of the "you got a place" emails, one entry per email."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.registration_id)
            .where(OutboxMessage.event_id == event.id, OutboxMessage.kind == MessageKind.PROMOTED)
            .order_by(OutboxMessage.registration_id)
        )
    )


@pytest.mark.parametrize(
    ("database_url", "lock"),
    [("sqlite", True), ("postgresql", True), ("postgresql", False)],
    ids=["sqlite-lock-on", "postgresql-lock-on", "postgresql-lock-off"],
    indirect=["database_url"],
)
def test_cancellations_at_once_fill_each_freed_seat_once(app, race_window, lock):
    """Eight of ten confirmed cancel at once while twenty wait. With the lock the first eight
    waiting get the eight seats, one each, told once each.

    Without it each cancellation counts only its own freed seat and reads the same first
    person off the list: she is promoted (and emailed) eight times and seven seats stay empty.
    SQLite has no run without the lock: a cancellation's own UPDATE takes SQLite's write lock
    before it counts, so cancellations queue up there even without the event lock."""
    event = make_event(capacity=10)
    people = _fill(event, 30)
    leaving, waiting = people[:8], people[10:]
    tokens = [self_service_token(p) for p in leaving]
    window = race_window(8, lock=lock)

    with serving(app) as base:

        def job_for(token):
            return lambda: post(http_client(), f"{base}/r/{token}/cancel", {})[0]

        statuses = all_at_once([job_for(token) for token in tokens])

    assert set(statuses) == {303}
    assert not window.timed_out and window.read == 8
    rows = {r.id: r for r in _rows(event)}
    assert all(rows[p.id].status is X for p in leaving)
    confirmed = sum(r.status is C for r in rows.values())
    if lock:
        assert confirmed == 10
        assert all(rows[p.id].status is C and rows[p.id].promoted_at for p in waiting[:8])
        assert all(rows[p.id].status is W for p in waiting[8:])
        assert _promotion_messages(event) == sorted(p.id for p in waiting[:8])
        assert window.most_at_once == 1
    else:
        assert confirmed == 3, "without the lock freed seats stay empty"
        assert _promotion_messages(event) == [waiting[0].id] * 8
        assert window.most_at_once == 8
