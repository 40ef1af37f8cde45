"""Running in production on parts that exist: load-balancer probes (/healthz, /readyz), JSON
logs with a request id, Prometheus metrics. Nothing here changes what a visitor sees."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import health, metrics, request_log, static_versions

    request_log.init_app(app)
    metrics.init_app(app)
    static_versions.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
