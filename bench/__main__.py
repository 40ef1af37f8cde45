"""Measure what users wait for, and print ratios from one run (absolute times vary by machine).

- the public event list (its first page): time and SQL queries with 10x more upcoming events;
- registration: the cost of the capacity lock (200 registrations with and without it);
- the calendar feeds on gunicorn and PostgreSQL (bench/feeds.py);
- the public pages, the registration form and registration over HTTP on gunicorn and
  PostgreSQL (bench/pages.py).

The first two run on a throw-away SQLite database, or on PostgreSQL with BENCH_DATABASE_URL
(a database this run may fill and empty); the feeds need PostgreSQL (bench/feeds.py).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from unittest import mock

import sqlalchemy as sa
from flask_migrate import upgrade

from bench import feeds, pages
from bench.data import add_events, count_queries, empty_tables, make_app, timed
from hytu_events.db import locking
from hytu_events.extensions import db
from hytu_events.models import Language, Organisation
from hytu_events.registrations.operations import ParticipantDetails, register


def _read_plainly(model, row_id: int):
    return db.session.get(model, row_id, populate_existing=True)


def bench_listing(app) -> None:
    client = app.test_client()
    results = {}
    for size in (50, 500):
        with app.app_context():
            empty_tables()
            add_events(size)
        client.get("/")  # warm up
        results[size] = (
            timed(lambda: client.get("/")),
            count_queries(app, lambda: client.get("/")),
        )
    (t_small, q_small), (t_large, q_large) = results[50], results[500]
    print(
        f"event list (first page), 50 -> 500 upcoming events: time x{t_large / t_small:.1f} "
        f"({t_small * 1000:.0f} ms -> {t_large * 1000:.0f} ms), "
        f"queries {q_small} -> {q_large}"
    )


def bench_registration(url: str) -> None:
    results = {}
    for locked in (True, False):
        app = make_app(url)
        # Without the lock the event is read plainly, as in the tests' control run.
        lock = (
            contextlib.nullcontext()
            if locked
            else mock.patch.object(locking, "lock_for_update", _read_plainly)
        )
        with app.app_context(), lock:
            empty_tables()
            [event_id] = add_events(1)
            organisation = db.session.scalar(sa.select(Organisation.id).limit(1))

            def run(event_id=event_id, organisation=organisation):
                for n in range(200):
                    register(
                        event_id,
                        ParticipantDetails(
                            name=f"Henkilö {n}",
                            email=f"h{n}-{time.perf_counter_ns()}@example.fi",
                            organisation_id=organisation,
                            organisation_other=None,
                            municipality_id=None,
                            job_title=None,
                            needs=None,
                            language=Language.FI,
                        ),
                    )
                    db.session.commit()

            results[locked] = timed(run, repeat=3)
    ratio = results[True] / results[False]
    print(
        f"200 sequential registrations, with / without the capacity lock: x{ratio:.2f} "
        f"({results[True] * 1000:.0f} ms vs {results[False] * 1000:.0f} ms)"
    )


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite3"
        app = make_app(url)
        with app.app_context():
            upgrade()
        print(f"database: {url.split(':')[0]}")
        bench_listing(app)
        bench_registration(url)
    feeds.main()
    pages.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
