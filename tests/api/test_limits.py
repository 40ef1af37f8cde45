"""The API is rate limited per address like the site's forms: HYTU_API_RATE_LIMIT counts every
operation together, and past it the answer is a JSON 429 with Retry-After."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config() -> dict:
    return {"RATELIMIT_ENABLED": True, "HYTU_API_RATE_LIMIT": "4 per 10 minutes"}


def test_the_limit_counts_every_operation_together(client):
    answers = [
        client.get(url) for url in ("/api/v1/events", "/api/v1/measures", "/api/v1/municipalities")
    ]
    answers.append(client.get("/api/v1/series"))
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
    refused = client.get("/api/v1/summary?lang=en")
    assert refused.status_code == 429
    assert refused.is_json and refused.get_json()["code"] == 429
    assert refused.get_json()["message"] == (
        "Too many requests from your network address in a short time. Try again in 10 minutes."
    )
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    # Another address has its own allowance; the site's pages are not counted.
    other = client.get("/api/v1/events", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
    assert client.get("/").status_code == 200
