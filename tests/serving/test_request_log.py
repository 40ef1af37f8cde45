"""One JSON object a log line, each with the request's id, which the response carries back."""

from __future__ import annotations

import json
import logging
import re

import pytest

from hytu_events.serving.request_log import JsonFormatter

NEW_ID = re.compile(r"[0-9a-f]{32}")


def _lines(capfd) -> list[dict]:
    return [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.strip()]


def _request_lines(capfd) -> list[dict]:
    return [line for line in _lines(capfd) if line["logger"] == "hytu_events.requests"]


def test_the_proxys_id_is_kept_and_logged(client, capfd):
    capfd.readouterr()
    response = client.get("/healthz", headers={"X-Request-ID": "0f3c9a7e5b1d42c6a8e9f0b1c2d3e4f5"})
    assert response.headers["X-Request-ID"] == "0f3c9a7e5b1d42c6a8e9f0b1c2d3e4f5"
    [line] = _request_lines(capfd)
    assert line["request_id"] == "0f3c9a7e5b1d42c6a8e9f0b1c2d3e4f5"
    assert line["message"] == "request"
    assert (line["method"], line["endpoint"], line["status"]) == ("GET", "health.healthz", 200)
    assert line["level"] == "INFO" and line["duration_ms"] >= 0


@pytest.mark.parametrize(
    "sent",
    ["", "x" * 129, "abc def", 'abc"}{', "abc\u00e4", "-starts-with-a-dash", "a<script>"],
)
def test_an_id_that_is_not_a_bounded_token_is_replaced(client, capfd, sent):
    capfd.readouterr()
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    returned = response.headers["X-Request-ID"]
    assert NEW_ID.fullmatch(returned)
    assert _request_lines(capfd)[0]["request_id"] == returned


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3 and all(NEW_ID.fullmatch(i) for i in ids)


def test_lines_name_the_rule_never_the_secret_in_the_path(client, capfd):
    capfd.readouterr()
    secret = "sEcReTtOkEn-" + "q" * 30
    client.get(f"/r/{secret}?lang=sv")
    client.get(f"/calendar/personal/{secret}.ics")
    err = capfd.readouterr().err
    assert secret not in err
    rules = [json.loads(line).get("rule") for line in err.splitlines() if line.strip()]
    assert "/r/<token>" in rules and "/calendar/personal/<token>.ics" in rules


def test_lines_logged_while_answering_carry_the_id(app, client, capfd):
    @app.get("/_log_something")
    def log_something():
        app.logger.warning("looked at %s", "something", extra={"event_id": 7})
        return "ok"

    capfd.readouterr()
    response = client.get("/_log_something", headers={"X-Request-ID": "req-1"})
    [line] = [line for line in _lines(capfd) if line["logger"] == "hytu_events"]
    assert line == {
        "time": line["time"],
        "level": "WARNING",
        "logger": "hytu_events",
        "message": "looked at something",
        "event_id": 7,
        "request_id": "req-1",
    }
    assert response.headers["X-Request-ID"] == "req-1"


def test_outside_a_request_the_id_is_null_and_tracebacks_are_kept():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", None, __import__("sys").exc_info()
        )
    record.request_id = None
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] is None
    assert "ValueError: boom" in line["exception"]
