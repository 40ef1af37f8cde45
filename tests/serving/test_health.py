"""/healthz and /readyz, as a load balancer reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa

from hytu_events import create_app
from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageStatus, OutboxMessage
from hytu_events.registrations.operations import register
from tests.conftest import _test_config, unavailable
from tests.helpers import make_event
from tests.registrations.test_waitlist import details

UNREACHABLE_DATABASE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"


def test_both_answer_json_and_are_never_cached(client):
    for url, status in (("/healthz", "ok"), ("/readyz", "ready")):
        response = client.get(url)
        assert response.status_code == 200
        assert response.json["status"] == status
        assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/readyz").json["checks"] == {"database": "ok", "outbox": "ok"}


def test_without_a_database_the_process_is_healthy_but_not_ready():
    app = create_app(_test_config(UNREACHABLE_DATABASE))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unready"
    assert response.json["reason"].startswith("database: unreachable (")
    assert "refused" in response.json["reason"]


def _age_the_confirmation(age: timedelta) -> None:
    db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow() - age))
    db.session.commit()


def test_an_outbox_the_workers_do_not_keep_up_with_is_unready(app, client):
    register(make_event().id, details(1))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    _age_the_confirmation(timedelta(minutes=29))
    assert client.get("/readyz").status_code == 200
    _age_the_confirmation(timedelta(minutes=31))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["reason"].startswith("outbox: oldest due message waited 18")
    assert response.json["reason"].endswith("s (limit 1800 s)")
    # Sent, or given up on (failed, shown in the outbox page), it no longer holds the queue.
    db.session.execute(sa.update(OutboxMessage).values(status=MessageStatus.FAILED))
    db.session.commit()
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("app_config", [{"HYTU_READY_MAX_BACKLOG_AGE": 0}])
def test_a_zero_limit_leaves_the_outbox_out(app, client):
    register(make_event().id, details(1))
    db.session.commit()
    _age_the_confirmation(timedelta(days=2))
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize(
    "app_config",
    [{"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1", "RATELIMIT_ENABLED": True}],
)
def test_an_unreachable_redis_is_unready(app, client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["reason"].startswith("redis (RATELIMIT_STORAGE_URI): unreachable (")
    assert response.json["checks"]["database"] == "ok"


@pytest.mark.parametrize("app_config", [{"HYTU_FEED_CACHE_URI": "redis://127.0.0.1:1"}])
def test_the_feed_caches_redis_counts_too(app, client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["reason"].startswith("redis (HYTU_FEED_CACHE_URI): unreachable (")


@pytest.mark.parametrize(
    "app_config",
    [{"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "RATELIMIT_ENABLED": True}],
)
def test_a_reachable_redis_is_ready(app, client):
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379", socket_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at 127.0.0.1:6379 is not reachable: {error}")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["redis (RATELIMIT_STORAGE_URI)"] == "ok"
