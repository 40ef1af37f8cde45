"""/metrics: who may read it, and what it counts."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from prometheus_client.parser import text_string_to_metric_families

from hytu_events.config import PROJECT_ROOT
from hytu_events.extensions import db
from hytu_events.registrations.operations import register
from tests.helpers import make_event
from tests.registrations.test_waitlist import details

OUTSIDER = {"REMOTE_ADDR": "203.0.113.5"}


def samples(client, **kwargs) -> dict[tuple, float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_outsiders_get_404_as_for_an_unknown_page(client):
    assert client.get("/metrics", environ_overrides=OUTSIDER).status_code == 404
    assert client.get("/metrics").status_code == 200  # loopback: the local Prometheus


@pytest.mark.parametrize("app_config", [{"HYTU_METRICS_TOKEN": "s3cret-scrape-token"}])
def test_a_remote_scraper_needs_the_token(client):
    def scrape(authorization):
        headers = {"Authorization": authorization}
        return client.get("/metrics", headers=headers, environ_overrides=OUTSIDER).status_code

    assert scrape("Bearer s3cret-scrape-token") == 200
    assert scrape("Bearer s3cret-scrape-tokeX") == 404
    assert scrape("s3cret-scrape-token") == 404
    assert scrape("") == 404


def test_feed_answers_are_counted_by_status(client):
    endpoint = "calendar.public_feed_ics"
    before = samples(client)
    first = client.get("/calendar.ics")
    again = client.get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert (first.status_code, again.status_code) == (200, 304)
    after = samples(client)
    for status in ("200", "304"):
        grew = value(after, "hytu_responses_total", endpoint=endpoint, status=status) - value(
            before, "hytu_responses_total", endpoint=endpoint, status=status
        )
        assert grew == 1
    latency = "hytu_request_duration_seconds_count"
    assert (
        value(after, latency, endpoint=endpoint, method="GET")
        - value(before, latency, endpoint=endpoint, method="GET")
        == 2
    )


def test_places_and_the_outbox_are_counted(app, client):
    before = samples(client)
    event = make_event(capacity=1)
    for n in range(3):
        register(event.id, details(n))
        db.session.commit()
    after = samples(client)

    def grew(place):
        name = "hytu_registrations_total"
        return value(after, name, place=place) - value(before, name, place=place)

    assert (grew("confirmed"), grew("waitlisted")) == (1, 2)
    assert value(after, "hytu_outbox_messages", status="queued") == 3
    assert value(after, "hytu_outbox_messages", status="failed") == 0
    assert value(after, "hytu_outbox_oldest_due_age_seconds") >= 0


SCRIPT = textwrap.dedent(
    """
    import sys
    from hytu_events import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "k" * 40,
                      "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
    client = app.test_client()
    for _ in range(int(sys.argv[2])):
        assert client.get("/healthz").status_code == 200
    if sys.argv[3] == "scrape":
        sys.stdout.write(client.get("/metrics").text)
    """
)


def test_with_a_multiprocess_folder_metrics_add_up_every_worker(app, tmp_path):
    """Two processes answer requests; a third one's /metrics counts them all."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    url = str(db.engine.url.render_as_string(hide_password=False))

    def run(requests: int, then: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", SCRIPT, url, str(requests), then],
            env=env,
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout

    run(2, "exit")
    run(3, "exit")
    found = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(run(0, "scrape"))
        for s in family.samples
    }
    assert value(found, "hytu_responses_total", endpoint="health.healthz", status="200") == 5
