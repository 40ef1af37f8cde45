"""What the public feed costs: one query for a revalidation or a kept feed, whatever the number of
events; a feed built once for every worker sharing a Redis; a rebuild that serialises only what
changed; and never a personal feed in the shared cache (hytu_events.calendar.public_feeds)."""

from __future__ import annotations

import gzip
import os
import secrets
from datetime import timedelta

import pytest

from hytu_events import create_app
from hytu_events.calendar import ical
from hytu_events.extensions import db
from hytu_events.feed_tokens import tokens
from hytu_events.models import Event
from hytu_events.outcomes.event_measures import set_event_measures
from hytu_events.plan.seed import seed_plan
from tests.calendar.factories import NOW, register
from tests.conftest import _test_config, unavailable
from tests.helpers import counting_queries, make_event
from tests.plan.helpers import measure

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
GZIP = {"Accept-Encoding": "gzip"}
FEEDS = ["/calendar.ics", "/calendar.ics?kind=hytu_clinic&municipality=inari&measure=T1"]


@pytest.fixture(autouse=True)
def plan(app):
    seed_plan()
    db.session.commit()


def _events(count: int) -> None:
    for n in range(count):
        event = make_event(title=f"Klinikka {n}", starts_at=NOW + timedelta(days=1, hours=n))
        set_event_measures(event.id, [measure("T1").id])
    db.session.commit()


def _queries(client, url: str, headers: dict) -> tuple[int, int]:
    with counting_queries() as statements:
        response = client.get(url, headers=headers)
    return response.status_code, len(statements)


@pytest.mark.parametrize("url", FEEDS)
def test_a_revalidation_and_a_kept_feed_run_one_query_whatever_the_events(client, url):
    counts = {}
    for total in (3, 30):
        _events(total - len(counts) * 3)
        etag = client.get(url, headers=GZIP).headers["ETag"]
        revalidated = _queries(client, url, {**GZIP, "If-None-Match": etag})
        kept = _queries(client, url, GZIP)
        assert client.get(url, headers=GZIP).headers["ETag"] == etag
        counts[total] = (revalidated, kept)
    assert counts[3] == counts[30] == ((304, 1), (200, 1))


def test_a_feed_is_built_once_then_served_as_kept(client, monkeypatch):
    _events(3)
    first = client.get("/calendar.ics", headers=GZIP)
    monkeypatch.setattr(ical, "_entry_bytes", _never)
    again = client.get("/calendar.ics", headers=GZIP)
    plain = client.get("/calendar.ics")
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert gzip.decompress(first.data) == plain.data


def test_a_rebuild_serialises_only_the_changed_event(client, monkeypatch):
    _events(5)
    client.get("/calendar.ics")
    event = db.session.scalars(db.select(Event)).first()
    event.title = "Klinikka (uusi sali)"
    db.session.commit()
    built = []
    original = ical._entry_bytes
    monkeypatch.setattr(
        ical, "_entry_bytes", lambda entry, *args: built.append(entry) or original(entry, *args)
    )
    response = client.get("/calendar.ics")
    assert b"uusi sali" in response.data
    assert [entry.id for entry in built] == [event.id]


def _never(*args):
    raise AssertionError("built again")


@pytest.fixture
def shared_config(database_url):
    """Two apps (two workers or instances) on one database and one Redis, under a key prefix
    of this test's own (deleted afterwards)."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {REDIS_URL} is not reachable: {error}")
    prefix = f"hytu_test_{os.getpid()}_{secrets.token_hex(4)}:"
    yield (
        _test_config(database_url, HYTU_FEED_CACHE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix),
        connection,
        prefix,
    )
    keys = list(connection.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        connection.delete(*keys)
    connection.close()


def test_workers_sharing_redis_build_a_feed_once(app, shared_config, monkeypatch):
    config, _redis, _prefix = shared_config
    _events(3)
    one, other = create_app(config).test_client(), create_app(config).test_client()
    built = one.get("/calendar.ics", headers=GZIP)
    monkeypatch.setattr(ical, "_entry_bytes", _never)
    served = other.get("/calendar.ics", headers=GZIP)
    assert served.status_code == 200 and served.data == built.data
    assert served.headers["ETag"] == built.headers["ETag"]


def test_personal_feeds_never_reach_the_shared_cache(app, shared_config):
    config, redis, prefix = shared_config
    event = make_event(title="Klinikka", online_url="https://teams.example/meet/oma")
    register(event, "Aino Aikio", "aino.aikio@example.fi")
    client = create_app(config).test_client()
    personal = client.get(
        tokens.participant_feed_url("aino.aikio@example.fi").removeprefix("http://hytu.test"),
        headers=GZIP,
    )
    public = client.get("/calendar.ics", headers=GZIP)
    assert personal.status_code == public.status_code == 200
    kept = {key: redis.get(key) for key in redis.scan_iter(match=f"{prefix}*")}
    assert any(value == public.data for value in kept.values())
    personal_tag = personal.headers["ETag"].strip('"').removesuffix(":gzip")
    for key, value in kept.items():
        assert personal_tag.encode() not in key
        assert value != personal.data
        assert b"teams.example/meet/oma" not in _unpacked(value)


def _unpacked(value: bytes) -> bytes:
    try:
        return gzip.decompress(value)
    except OSError:
        return value


def test_a_redis_that_fails_costs_a_build_not_the_feed(app, database_url):
    _events(2)
    config = _test_config(database_url, HYTU_FEED_CACHE_URI="redis://127.0.0.1:9/0")
    client = create_app(config).test_client()
    for _ in range(2):
        response = client.get("/calendar.ics", headers=GZIP)
        assert response.status_code == 200
        assert b"Klinikka 1" in gzip.decompress(response.data)
