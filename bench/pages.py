"""The public pages and registration, measured as production serves them: gunicorn
(bench.harness.WORKERS sync workers), PostgreSQL, Redis when it answers (the page cache is
shared through it), 1,033 upcoming events, wrk on the loopback (issue 17).

Printed as ratios from this one run, each page against the null endpoint of bench/wsgi.py
served by the same gunicorn settings, the runs taking turns (harness.interleaved):
- the public list, an event page and the summary, for anonymous readers (target >= 50 %);
- the registration form, which carries a CSRF token and so a session of its own (>= 25 %);
- registration over HTTP: the same number of people registering at one capped event against
  them spread over 50 events (target >= 80 %: the capacity lock is no bottleneck), and 1,000
  people at once for 50 seats (exactly 50 confirmed, 950 waitlisted; latencies printed).

PostgreSQL comes from BENCH_DATABASE_URL when that names one, else
postgresql://postgres@127.0.0.1:5432/bench_pages, created when missing; the run empties and
fills it.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import statistics
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask_migrate import upgrade

from bench import harness
from bench.data import add_events, empty_tables, make_app
from hytu_events.extensions import db
from hytu_events.models import Event, Organisation, Registration, RegistrationStatus
from hytu_events.plan.seed import seed_plan

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/bench_pages"
REDIS = "redis://127.0.0.1:6379/0"
EVENTS = 1033
#: People registering in each throughput run, and how many at a time.
REGISTRATIONS, AT_ONCE = 300, 8
#: The rush: this many people at once for SEATS seats.
RUSH, SEATS = 1000, 50


def _database() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    url = url if url.startswith(("postgresql", "postgres:")) else DEFAULT_DATABASE
    try:
        return harness.ensure_postgres_database(url)
    except sa.exc.OperationalError as error:
        print(f"public pages: skipped, PostgreSQL is not reachable ({error.orig})")
        return None


def _redis() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return REDIS


class Person:
    """One registrant over HTTP: the form fetched (its session and CSRF token), then sent."""

    def __init__(self, base: str, event_id: int, organisation: int, n: int):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.path = f"/events/{event_id}/register"
        self.fields = {
            "name": f"Osallistuja {n}",
            "email": f"p{n}-{secrets.token_hex(4)}@example.fi",
            "organisation": str(organisation),
            "language": "fi",
            "consent": "y",
        }

    def fetch_form(self) -> None:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        connection.request("GET", self.path)
        response = connection.getresponse()
        page = response.read().decode()
        assert response.status == 200, response.status
        [self.cookie] = [
            cookie.split(";", 1)[0]
            for cookie in response.msg.get_all("Set-Cookie")
            if cookie.startswith("session=")
        ]
        self.fields["csrf_token"] = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
        connection.close()

    def send(self) -> float:
        """Seconds from sending the form to the answer (a 303 to the confirmation)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=300)
        body = urlencode(self.fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        began = time.perf_counter()
        connection.request("POST", self.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        took = time.perf_counter() - began
        connection.close()
        assert response.status == 303, response.status
        return took


def _events(url: str, capacities: list[int]) -> tuple[list[int], int]:
    app = make_app(url)
    with app.app_context():
        ids = add_events(len(capacities))
        for event_id, capacity in zip(ids, capacities, strict=True):
            db.session.get(Event, event_id).capacity = capacity
        organisation = db.session.scalar(sa.select(Organisation.id).limit(1))
        db.session.commit()
        db.engine.dispose()
    return ids, organisation


def _register_all(people: list[Person], at_once: int) -> tuple[float, list[float]]:
    """Everyone's form fetched first; then `at_once` threads send them. Wall time, latencies
    (a failed registration fails the benchmark)."""
    for person in people:
        person.fetch_form()
    queue = list(reversed(people))
    lock, latencies, failures = threading.Lock(), [], []
    start = threading.Barrier(at_once + 1)

    def work():
        start.wait()
        while True:
            with lock:
                if not queue:
                    return
                person = queue.pop()
            try:
                took = person.send()
            except Exception as error:  # noqa: BLE001 - counted, reported below
                failures.append(error)
                continue
            with lock:
                latencies.append(took)

    threads = [threading.Thread(target=work) for _ in range(at_once)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if failures:
        raise SystemExit(f"{len(failures)} of {len(people)} registrations failed: {failures[0]!r}")
    return wall, latencies


def _throughput(url: str, base: str, spread: bool) -> float:
    """Registrations a second: REGISTRATIONS people at one event of 50 seats, or over 50
    events of one seat each (the same mix of confirmed and waitlisted places)."""
    ids, organisation = _events(url, [1] * 50 if spread else [SEATS])
    people = [
        Person(base, ids[n % len(ids)], organisation, n + (1 << 20) * spread)
        for n in range(REGISTRATIONS)
    ]
    wall, _latencies = _register_all(people, AT_ONCE)
    return REGISTRATIONS / wall


def _rush(url: str, base: str) -> dict:
    [event_id], organisation = _events(url, [SEATS])
    people = [Person(base, event_id, organisation, 1 << 22 | n) for n in range(RUSH)]
    wall, latencies = _register_all(people, RUSH)
    app = make_app(url)
    with app.app_context():
        statuses = db.session.execute(
            sa.select(Registration.status, sa.func.count())
            .where(Registration.event_id == event_id)
            .group_by(Registration.status)
        ).all()
        db.engine.dispose()
    counts = dict(statuses)
    latencies.sort()
    return {
        "confirmed": counts.get(RegistrationStatus.CONFIRMED, 0),
        "waitlisted": counts.get(RegistrationStatus.WAITLISTED, 0),
        "rate": RUSH / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "max": latencies[-1],
    }


def main() -> None:
    url = _database()
    if url is None:
        return
    app = make_app(url)
    with app.app_context():
        upgrade()
        empty_tables()
        seed_plan()
        db.session.commit()
        [event_id, *_rest] = add_events(EVENTS, described=True)
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
    pages = {
        "list": "/",
        "event": f"/events/{event_id}",
        "summary": "/summary",
        "form": f"/events/{event_id}/register",
    }
    with (
        harness.gunicorn("bench.wsgi:null", env) as null_base,
        harness.gunicorn("bench.wsgi:product", env, probe="/bench/null") as base,
    ):
        for path in pages.values():
            status, _headers, _body = harness.fetch(base + path)
            assert status == 200, (path, status)
        runs = harness.interleaved(
            {
                "null": lambda: harness.wrk(null_base + "/"),
                **{
                    name: (lambda path=path: harness.wrk(base + path))
                    for name, path in pages.items()
                },
            }
        )
        registrations = harness.interleaved(
            {
                "one": lambda: _throughput(url, base, spread=False),
                "spread": lambda: _throughput(url, base, spread=True),
            },
            rounds=2,
        )
        rush = _rush(url, base)
    for run in (run for results in runs.values() for run in results):
        assert run.errors == 0, run

    cache_place = "Redis" if redis_url else "process memory"
    lines = [
        f"public pages, {EVENTS} upcoming events, gunicorn {harness.WORKERS} workers, "
        f"PostgreSQL, page cache in {cache_place} ({datetime.now(UTC):%Y-%m-%d}; each ratio "
        "the median of 3 rounds taken in turn):",
        f"  null Flask endpoint (bench/wsgi.py): {harness.rate(runs, 'null'):.0f} requests/s",
    ]
    for name, label, target in (
        ("list", "public list (/)", 0.5),
        ("event", "an event page", 0.5),
        ("summary", "the summary", 0.5),
        ("form", "the registration form (a new session and CSRF token each)", 0.25),
    ):
        share = harness.ratio(runs, name, "null")
        lines.append(
            f"  {label}: {harness.percent(share)} of the null endpoint "
            f"({harness.rate(runs, name):.0f}/s; target >= {harness.percent(target)}: "
            f"{harness.verdict(share >= target)})"
        )
    one, spread = registrations["one"], registrations["spread"]
    share = statistics.median(a / b for a, b in zip(one, spread, strict=True))
    lines += [
        f"  registration over HTTP, {REGISTRATIONS} people {AT_ONCE} at a time: at one event "
        f"of {SEATS} seats {statistics.median(one):.0f}/s, over 50 events of one seat "
        f"{statistics.median(spread):.0f}/s: {harness.percent(share)} (median of 2 rounds; "
        f"target >= 80 %: {harness.verdict(share >= 0.8)})",
        f"  {RUSH} people at once for {SEATS} seats: {rush['confirmed']} confirmed, "
        f"{rush['waitlisted']} waitlisted "
        f"({harness.verdict(rush['confirmed'] == SEATS and rush['waitlisted'] == RUSH - SEATS)}"
        f"); {rush['rate']:.0f} registrations/s; latency median {rush['p50'] * 1000:.0f} ms, "
        f"p99 {rush['p99'] * 1000:.0f} ms, max {rush['max'] * 1000:.0f} ms",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
