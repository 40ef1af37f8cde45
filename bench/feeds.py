"""The calendar feeds, measured as production serves them: gunicorn (bench.harness.WORKERS sync
workers), PostgreSQL, Redis when it answers, 1,000 events, wrk on the loopback.

Printed as ratios from this one run (issue 15):
- a feed's 304 (If-None-Match, as calendar apps revalidate) against the null endpoint of
  bench/wsgi.py served by the same gunicorn settings (target: at least 80 %);
- the whole feed from the cache, gzipped as calendar apps ask for it (at least 50 %);
- a cold build (the feed not kept: one event just changed) against raw icalendar
  serialisation of the same events (at most 1.0x), and a build with nothing kept at all;
- the gzipped size against the plain one.

PostgreSQL comes from BENCH_DATABASE_URL when that names one, else
postgresql://postgres@127.0.0.1:5432/bench_feeds, created when missing; the run empties and
fills it.
"""

from __future__ import annotations

import gzip
import os
import secrets
import statistics
import time
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import upgrade
from icalendar import Calendar
from icalendar import Event as VEvent

from bench import harness
from bench.data import add_events, count_queries, empty_tables, make_app
from hytu_events.calendar.feed_cache import LocalStore
from hytu_events.extensions import db
from hytu_events.models import Event

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_feeds"
REDIS = "redis://127.0.0.1:6379/0"
EVENTS = 1000
GZIP = {"Accept-Encoding": "gzip"}


def _database() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    url = url if url.startswith(("postgresql", "postgres:")) else DEFAULT_DATABASE
    try:
        return harness.ensure_postgres_database(url)
    except sa.exc.OperationalError as error:
        print(f"calendar feeds: skipped, PostgreSQL is not reachable ({error.orig})")
        return None


def _redis() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return REDIS


def _raw_icalendar(rows: list[tuple]) -> bytes:
    """The same events through icalendar with no more than the properties our VEVENTs have:
    what any icalendar-based feed pays, with the data already in hand and no VTIMEZONE."""
    calendar = Calendar()
    calendar.add("PRODID", "-//bench//raw icalendar//EN")
    calendar.add("VERSION", "2.0")
    for uid, title, description, venue, url, starts, ends, created, updated, revision in rows:
        vevent = VEvent()
        vevent.add("UID", uid)
        vevent.add("DTSTAMP", updated)
        vevent.add("CREATED", created)
        vevent.add("LAST-MODIFIED", updated)
        vevent.add("SEQUENCE", revision)
        vevent.add("DTSTART", starts)
        vevent.add("DTEND", ends)
        vevent.add("SUMMARY", title)
        vevent.add("DESCRIPTION", description)
        vevent.add("LOCATION", venue)
        vevent.add("URL", url)
        vevent.add("STATUS", "CONFIRMED")
        vevent.add("CATEGORIES", ["HYTU"])
        vevent.add("CLASS", "PUBLIC")
        vevent.add("TRANSP", "OPAQUE")
        calendar.add_component(vevent)
    return calendar.to_ical()


def _median_seconds(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def _builds(url: str, redis_url: str | None) -> dict[str, float]:
    """Times of raw icalendar, the app's cold build and a build from nothing, in this
    process, and the SQL queries of a kept feed."""
    from zoneinfo import ZoneInfo

    app = make_app(url, BASE_URL="http://127.0.0.1", HYTU_FEED_CACHE_URI="")
    zone = ZoneInfo(app.config["HYTU_TIMEZONE"])
    with app.app_context():
        rows = [
            (
                e.calendar_uid,
                e.title,
                e.description + "\n\nLisätietoja: http://127.0.0.1/events/1",
                e.venue,
                f"http://127.0.0.1/events/{e.id}",
                e.starts_at.astimezone(zone),
                e.ends_at.astimezone(zone),
                e.created_at,
                e.updated_at,
                e.revision,
            )
            for e in db.session.scalars(sa.select(Event).order_by(Event.starts_at))
        ]
    raw = _median_seconds(lambda: _raw_icalendar(rows), repeat=5)

    client = app.test_client()

    def from_nothing():
        # An empty cache: no feed and no event's bytes kept (the app itself is warm).
        app.extensions["hytu_feed_cache"] = LocalStore()
        began = time.perf_counter()
        assert client.get("/calendar.ics", headers=GZIP).status_code == 200
        return time.perf_counter() - began

    from_nothing()  # the process's first time (catalogs, compiled queries) is not counted
    first = statistics.median(from_nothing() for _ in range(3))
    client.get("/calendar.ics", headers=GZIP)
    queries = count_queries(app, lambda: client.get("/calendar.ics", headers=GZIP))

    def rebuild():
        with app.app_context():  # one event changes: the feed is built again, in full
            event = db.session.scalars(sa.select(Event).limit(1)).one()
            event.title = f"Muuttunut {secrets.token_hex(3)}"
            db.session.commit()
        began = time.perf_counter()
        response = client.get("/calendar.ics", headers=GZIP)
        assert response.status_code == 200
        return time.perf_counter() - began

    cold = statistics.median(rebuild() for _ in range(5))
    return {"raw": raw, "cold": cold, "first": first, "cached queries": queries}


def main() -> None:
    url = _database()
    if url is None:
        return
    app = make_app(url)
    with app.app_context():
        upgrade()
        empty_tables()
        add_events(EVENTS, described=True)
        db.engine.dispose()
    redis_url = _redis()
    settings = {"RATELIMIT_ENABLED": "false"}
    if redis_url:
        settings.update(
            HYTU_FEED_CACHE_URI=redis_url, RATELIMIT_KEY_PREFIX=f"bench-{secrets.token_hex(4)}:"
        )
    else:
        settings.update(HYTU_SINGLE_PROCESS="1")
    env = harness.production_environment(url, **settings)

    with (
        harness.gunicorn("bench.wsgi:null", env) as null_base,
        harness.gunicorn("bench.wsgi:product", env, probe="/bench/null") as base,
    ):
        feed = base + "/calendar.ics"
        status, headers, body = harness.fetch(feed, GZIP)
        assert status == 200 and headers.get("Content-Encoding") == "gzip", (status, headers)
        plain_status, _plain_headers, plain = harness.fetch(feed)
        revalidate = {**GZIP, "If-None-Match": headers["ETag"]}
        runs = harness.interleaved(
            {
                "null": lambda: harness.wrk(null_base + "/"),
                "304": lambda: harness.wrk(feed, headers=revalidate),
                "kept": lambda: harness.wrk(feed, headers=GZIP),
                "plain": lambda: harness.wrk(feed),
                "app null": lambda: harness.wrk(base + "/bench/null"),
            }
        )
    builds = _builds(url, redis_url)
    assert gzip.decompress(body) == plain and plain_status == 200
    for run in (run for results in runs.values() for run in results):
        assert run.errors == 0, run

    r304, kept = harness.ratio(runs, "304", "null"), harness.ratio(runs, "kept", "null")
    cold = builds["cold"] / builds["raw"]
    cache_place = "Redis" if redis_url else "process memory"
    lines = [
        f"calendar feeds, {EVENTS} events, gunicorn {harness.WORKERS} workers, PostgreSQL, "
        f"feed cache in {cache_place} ({datetime.now(UTC):%Y-%m-%d}; each ratio the median of "
        "3 rounds taken in turn):",
        f"  null Flask endpoint (bench/wsgi.py): {harness.rate(runs, 'null'):.0f} requests/s",
        f"  feed 304 (If-None-Match): {harness.percent(r304)} of the null endpoint "
        f"({harness.rate(runs, '304'):.0f}/s; target >= 80 %: {harness.verdict(r304 >= 0.8)})",
        f"  whole feed from the cache, gzip: {harness.percent(kept)} "
        f"({harness.rate(runs, 'kept'):.0f}/s; target >= 50 %: {harness.verdict(kept >= 0.5)});"
        f" plain (no Accept-Encoding): {harness.percent(harness.ratio(runs, 'plain', 'null'))}",
        "  the app's own null endpoint (the same app, all its middleware): "
        f"{harness.percent(harness.ratio(runs, 'app null', 'null'))} of the null endpoint",
        "  cold build (the feed not kept: one event changed) vs raw icalendar serialisation "
        f"of the same events: x{cold:.2f} ({builds['cold'] * 1000:.0f} ms vs "
        f"{builds['raw'] * 1000:.0f} ms; target <= 1.0x: {harness.verdict(cold <= 1.0)}); "
        f"a build with nothing kept (a new cache): x{builds['first'] / builds['raw']:.2f}",
        f"  size: gzip {len(body) / 1024:.0f} KB vs plain {len(plain) / 1024:.0f} KB "
        f"({harness.percent(len(body), len(plain))}); SQL queries of a feed served from "
        f"the cache: {builds['cached queries']}",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
