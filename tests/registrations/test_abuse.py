"""Rate limits and the honeypot on the public forms."""

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Registration
from tests.helpers import csrf_token, make_event, organisation, page_text


@pytest.fixture
def app_config():
    return {"HYTU_REGISTRATION_RATE_LIMIT": "3 per minute", "HYTU_LINK_RATE_LIMIT": "2 per minute"}


def _form(n: int) -> dict:
    return {
        "name": f"Botti {n}",
        "email": f"botti{n}@example.fi",
        "organisation": str(organisation("spek").id),
        "municipality": "",
        "language": "fi",
        "consent": "y",
    }


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration))


def test_registration_posts_are_limited_per_ip(client):
    event = make_event()
    url = f"/events/{event.id}/register?lang=en"
    token = csrf_token(client.get(url).text)
    statuses = [
        client.post(url, data={**_form(n), "csrf_token": token}).status_code for n in range(5)
    ]
    assert statuses == [303, 303, 303, 429, 429]
    assert _count() == 3
    refused = client.post(url, data={**_form(9), "csrf_token": token})
    assert "Too many requests" in page_text(refused.text)
    # Why, and for how long (the limit is 3 per minute).
    assert "Too many forms were sent from your network address" in page_text(refused.text)
    assert "Try again in 1 minute." in page_text(refused.text)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Another address is not affected; reading pages is never limited.
    other = client.post(
        url, data={**_form(7), "csrf_token": token}, environ_base={"REMOTE_ADDR": "10.9.8.7"}
    )
    assert other.status_code == 303
    assert client.get(url).status_code == 200


def test_link_requests_are_limited_per_ip(client):
    token = csrf_token(client.get("/r/").text)
    statuses = [
        client.post("/r/", data={"email": "a@example.fi", "csrf_token": token}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_honeypot_looks_like_success_and_stores_nothing(client):
    event = make_event()
    url = f"/events/{event.id}/register"
    token = csrf_token(client.get(url).text)
    response = client.post(
        url, data={**_form(1), "website": "http://spam.example", "csrf_token": token}
    )
    assert response.status_code == 303
    assert _count() == 0
