"""Probes for load balancers: `/healthz` says the process answers (it reads nothing, so a
database outage never restarts healthy workers); `/readyz` says whether to send it traffic.

Both answer JSON and are never cached. /readyz is 503 with a reason while the database or a
configured Redis cannot be reached, or while the outbox's oldest due message has waited longer
than HYTU_READY_MAX_BACKLOG_AGE seconds.
"""

from __future__ import annotations

from datetime import timedelta

import redis
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from ..db import outage
from ..db.types import utcnow
from ..extensions import db, limiter
from ..mailing.models import MessageStatus, OutboxMessage

bp = Blueprint("health", __name__)

#: Storage schemes that are a Redis server (limits' names for them).
REDIS_SCHEMES = ("redis", "rediss", "redis+unix")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return _answer(200, {"status": "ok"})


@bp.get("/readyz")
@limiter.exempt
def readyz():
    checks = {"database": _database()}
    for name, url in redis_urls(current_app.config).items():
        checks[name] = _redis(url)
    if checks["database"] == "ok":
        checks["outbox"] = _outbox()
    failed = {name: result for name, result in checks.items() if result != "ok"}
    if failed:
        reason = "; ".join(f"{name}: {result}" for name, result in failed.items())
        return _answer(503, {"status": "unready", "reason": reason, "checks": checks})
    return _answer(200, {"status": "ready", "checks": checks})


def redis_urls(config) -> dict[str, str]:
    """Every Redis the settings name, by the setting that names it."""
    urls = {}
    for key in ("RATELIMIT_STORAGE_URI", "HYTU_FEED_CACHE_URI", "REDIS_URL"):
        url = config.get(key) or ""
        if key == "RATELIMIT_STORAGE_URI" and not config.get("RATELIMIT_ENABLED", True):
            continue
        if url.partition("://")[0].lower() in REDIS_SCHEMES:
            urls[f"redis ({key})"] = url
    return urls


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as error:
        db.session.rollback()
        if not outage.unreachable(error):
            raise
        return f"unreachable ({outage.reason(error)})"
    return "ok"


def _redis(url: str) -> str:
    client = redis.Redis.from_url(url.replace("redis+unix://", "unix://"), socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"unreachable ({error})"
    finally:
        client.close()
    return "ok"


def oldest_due_age(now=None) -> timedelta | None:
    """How long the oldest queued message that is due has waited; None when none is due."""
    now = now or utcnow()
    oldest = db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == MessageStatus.QUEUED, OutboxMessage.next_attempt_at <= now
        )
    )
    return None if oldest is None else now - oldest


def _outbox() -> str:
    limit = current_app.config["HYTU_READY_MAX_BACKLOG_AGE"]
    age = oldest_due_age() if limit > 0 else None
    if age is not None and age.total_seconds() > limit:
        return f"oldest due message waited {int(age.total_seconds())} s (limit {limit} s)"
    return "ok"


def _answer(status: int, body: dict):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
