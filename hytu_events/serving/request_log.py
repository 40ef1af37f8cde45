"""Logs as one JSON object a line, each carrying the id of the request it belongs to.

The id comes from the proxy's X-Request-ID when that is a bounded token (nginx's $request_id is
32 hex digits), so nginx's access log and the app's lines share it; anything else is replaced
by a new one, so a client cannot write lines or markup into the logs. The response carries the
id back. One line per request names its endpoint and URL rule, never its path: paths hold
secret links (self-service tokens, personal feeds).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

HEADER = "X-Request-ID"
VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

#: What every LogRecord has; the rest was passed by `extra=` and goes into the JSON object.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged (gunicorn and tests replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _start() -> None:
    sent = request.headers.get(HEADER, "")
    g.request_id = sent if VALID_ID.fullmatch(sent) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers[HEADER] = g.get("request_id") or uuid.uuid4().hex
    started = g.get("request_started")
    logging.getLogger("hytu_events.requests").info(
        "request",
        extra={
            "method": request.method,
            "endpoint": request.endpoint,
            "rule": request.url_rule.rule if request.url_rule else None,
            "status": response.status_code,
            "duration_ms": None
            if started is None
            else round(1000 * (time.perf_counter() - started), 1),
        },
    )
    return response


def init_app(app: Flask) -> None:
    handler = StderrHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter() if app.config["HYTU_LOG_FORMAT"] == "json" else TextFormatter()
    )
    handler._hytu = True  # marks the handler a later create_app replaces
    app.logger.removeHandler(default_handler)
    for old in [h for h in app.logger.handlers if getattr(h, "_hytu", False)]:
        app.logger.removeHandler(old)
    app.logger.addHandler(handler)
    if app.logger.level == logging.NOTSET or app.logger.level > logging.INFO:
        app.logger.setLevel(logging.DEBUG if app.debug else logging.INFO)
    # First of the before hooks, so that every line a request logs has its id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
