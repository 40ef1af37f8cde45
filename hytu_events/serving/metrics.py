"""Prometheus metrics at /metrics, for loopback clients or a bearer token, never the public.

Under gunicorn each worker is a process of its own: with PROMETHEUS_MULTIPROC_DIR set,
prometheus-client writes every worker's values to files there and /metrics adds them up
(deploy/gunicorn.conf.py empties the folder at start and marks dead workers). The outbox's
numbers are read from the database at each scrape, so every instance reports the same.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from ..extensions import db, limiter
from ..mailing.models import MessageStatus, OutboxMessage
from ..registrations import signals
from ..registrations.models import RegistrationStatus
from . import health

bp = Blueprint("metrics", __name__)

REQUEST_SECONDS = Histogram(
    "hytu_request_duration_seconds", "Time to answer a request", ["endpoint", "method"]
)
RESPONSES = Counter(
    "hytu_responses_total",
    "Responses by endpoint and status; calendar.* 304 against 200 is the feeds' 304 ratio",
    ["endpoint", "status"],
)
REGISTRATIONS = Counter(
    "hytu_registrations_total",
    "Places created (confirmed or waitlisted) and places from the waiting list (promoted)",
    ["place"],
)


class OutboxCollector:
    """The outbox as it stands, read at scrape time: messages by status, oldest due age."""

    def collect(self):
        by_status = GaugeMetricFamily(
            "hytu_outbox_messages",
            "Outbox messages by status (failed: given up)",
            labels=["status"],
        )
        counts = dict(
            db.session.execute(
                db.select(OutboxMessage.status, db.func.count()).group_by(OutboxMessage.status)
            ).all()
        )
        for status in MessageStatus:
            by_status.add_metric([status.value], counts.get(status, 0))
        yield by_status
        age = health.oldest_due_age()
        yield GaugeMetricFamily(
            "hytu_outbox_oldest_due_age_seconds",
            "How long the oldest due queued message has waited (0: none due)",
            value=0 if age is None else age.total_seconds(),
        )


@bp.get("/metrics")
@limiter.exempt
def scrape():
    if not _allowed():
        abort(404)  # as for an unknown page: nothing says metrics exist here
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    body = generate_latest(registry) + generate_latest(_outbox_registry())
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _outbox_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(OutboxCollector())
    return registry


def _allowed() -> bool:
    token = current_app.config["HYTU_METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _observed(response):
    endpoint = request.endpoint or "unmatched"
    started = g.get("metrics_started")
    if started is not None:
        REQUEST_SECONDS.labels(endpoint, request.method).observe(time.perf_counter() - started)
    RESPONSES.labels(endpoint, str(response.status_code)).inc()
    return response


def _count_place(registration, **_) -> None:
    confirmed = registration.status is RegistrationStatus.CONFIRMED
    REGISTRATIONS.labels("confirmed" if confirmed else "waitlisted").inc()


def _count_promotion(registration, **_) -> None:
    REGISTRATIONS.labels("promoted").inc()


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _started)
    app.after_request(_observed)
    signals.registration_created.connect(_count_place)
    signals.registration_promoted.connect(_count_promotion)
