"""The public feed answered before Flask from the state a PostgreSQL worker keeps
(hytu_events.calendar.version_watch, hytu_events.calendar.feed_front): no query, the same
answer Flask gives, and a change committed anywhere reaches it."""

from __future__ import annotations

import gzip
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from hytu_events import create_app
from hytu_events.calendar import version_watch
from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from tests.conftest import _test_config
from tests.helpers import make_event

GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture
def front(app, backend, database_url, clock, monkeypatch):
    """A worker as production runs it on PostgreSQL: watching, the front in place."""
    if backend != "postgresql":
        pytest.skip("notifications are PostgreSQL's; SQLite reads the state in-process")
    monkeypatch.setattr("hytu_events.calendar.feed_front.utcnow", clock)
    worker = create_app(_test_config(database_url, HYTU_FEED_VERSION_WATCH=True))
    worker.flask_requests = []
    worker.before_request(lambda: worker.flask_requests.append(1))
    yield worker
    worker.extensions["hytu_version_watch"].stop()


@contextmanager
def untouched(worker):
    """Asserts that the block reached neither Flask nor the database."""
    with worker.app_context():
        engine = db.engine
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    requests = len(worker.flask_requests)
    try:
        yield
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert statements == [] and len(worker.flask_requests) == requests


def _until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.02)


def _kept(worker, client, url="/calendar.ics", headers=GZIP):
    """Ask until the worker listens and keeps the state (its first requests ask the DB)."""
    watch = worker.extensions["hytu_version_watch"]

    def kept():
        client.get(url, headers=headers)
        return watch.kept(utcnow()) is not None

    _until(kept)


def test_a_revalidation_runs_no_query_and_answers_as_flask_did(front, clock):
    make_event(title="Klinikka")
    client = front.test_client()
    _kept(front, client)
    tag = client.get("/calendar.ics", headers=GZIP).headers["ETag"]
    by_flask = client.get("/calendar.ics?lang=fi", headers={**GZIP, "If-None-Match": tag})
    with untouched(front):
        answers = [
            client.get("/calendar.ics?lang=fi", headers={**GZIP, "If-None-Match": tag})
            for _ in range(3)
        ]
    for answer in answers:
        assert answer.status_code == by_flask.status_code == 304
        assert _headers(answer) == _headers(by_flask)


def test_a_kept_answer_is_flasks_once_it_has_its_date(front, clock):
    make_event(title="Klinikka")
    client = front.test_client()
    _kept(front, client)
    clock.advance(1)  # the ETag's first second is over: Flask's 200 now has Last-Modified
    by_flask = client.get("/calendar.ics", headers=GZIP)
    assert "Last-Modified" in by_flask.headers
    with untouched(front):
        again = client.get("/calendar.ics", headers=GZIP)
        head = client.head("/calendar.ics", headers=GZIP)
    assert again.data == by_flask.data and _headers(again) == _headers(by_flask)
    assert head.data == b"" and _headers(head) == _headers(by_flask)


def test_a_change_committed_elsewhere_reaches_the_worker(front, clock):
    event = make_event(title="Klinikka")
    client = front.test_client()
    _kept(front, client)
    tag = client.get("/calendar.ics", headers=GZIP).headers["ETag"]
    with db.engine.begin() as elsewhere:  # another process's change: no commit hook here
        elsewhere.execute(
            sa.text(
                "UPDATE events SET title = 'Klinikka (siirretty)', updated_at = now() "
                "WHERE id = :id"
            ),
            {"id": event.id},
        )

    def changed():
        return client.get("/calendar.ics", headers={**GZIP, "If-None-Match": tag}).status_code

    _until(lambda: changed() == 200, seconds=5)


def test_what_the_front_cannot_be_sure_of_goes_to_flask(front, clock):
    make_event(title="Klinikka")
    client = front.test_client()
    _kept(front, client)
    tag = client.get("/calendar.ics", headers=GZIP).headers["ETag"]
    for url, headers in (
        ("/calendar.ics?kind=nonsense", {"If-None-Match": tag}),  # a 400 from Flask
        ("/calendar.ics?other=1", {"If-None-Match": tag}),
        ("/calendar.ics", {"If-Modified-Since": "Tue, 01 Dec 2026 10:00:00 GMT"}),
    ):
        requests = len(front.flask_requests)
        client.get(url, headers={**GZIP, **headers})
        assert len(front.flask_requests) == requests + 1, url
    assert client.get("/calendar.ics?kind=nonsense", headers=GZIP).status_code == 400


def _headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name != "Date"}


def test_a_kept_state_ends_at_the_window_edge(app, front, clock):
    weeks = timedelta(weeks=app.config["HYTU_FEED_PAST_WEEKS"])
    ends = clock.now - weeks + timedelta(seconds=2)
    make_event(title="Vanha", starts_at=ends - timedelta(hours=1), ends_at=ends)
    client = front.test_client()
    _kept(front, client)
    first = client.get("/calendar.ics", headers=GZIP)
    assert b"Vanha" in gzip.decompress(first.data)
    clock.advance(3)  # the event leaves the feed by time alone: no row, no notification
    again = client.get("/calendar.ics", headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and b"Vanha" not in gzip.decompress(again.data)


def test_no_state_is_kept_longer_than_its_limit(front, clock, monkeypatch):
    """Should notifications stop without the connection failing (a pooler that drops
    LISTEN), a kept state still ends."""
    make_event(title="Klinikka")
    client = front.test_client()
    _kept(front, client)
    tag = client.get("/calendar.ics", headers=GZIP).headers["ETag"]
    client.get("/calendar.ics", headers={**GZIP, "If-None-Match": tag})  # Flask's 304, learnt
    with untouched(front):
        client.get("/calendar.ics", headers={**GZIP, "If-None-Match": tag})
    later = time.monotonic() + version_watch.KEEP_SECONDS + 1
    monkeypatch.setattr(version_watch.time, "monotonic", lambda: later)
    requests = len(front.flask_requests)
    client.get("/calendar.ics", headers={**GZIP, "If-None-Match": tag})
    assert len(front.flask_requests) == requests + 1
