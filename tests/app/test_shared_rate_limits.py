"""Rate limits hold however many processes serve the app.

Production runs several gunicorn workers, maybe on several machines. With counters in each
process (memory://) the login lockout came after 18 failures instead of 5. Here two real
gunicorn servers share one database and one Redis; requests alternate between them and every
limit still counts once. The control run with per-process counters shows what the test catches.
"""

from __future__ import annotations

import itertools
import os
import secrets
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Registration, Role
from tests.accounts.helpers import PASSWORD, login, make_user
from tests.conftest import unavailable
from tests.helpers import csrf_token, make_event, organisation, page_text
from tests.live import Gunicorn, gunicorn_servers, production_environment

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

WRONG_LOGIN = "The email address or password is wrong, or the account is not in use."
LOCKED_OUT = "Too many failed attempts."
TOO_MANY_FORMS = "Too many forms were sent from your network address"


@pytest.fixture
def redis_keys():
    """(Redis client, a key prefix of this test's own); the prefix's keys are deleted after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {REDIS_URL} is not reachable: {error}")
    prefix = f"hytu_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        yield client, prefix
    finally:
        keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: its cookies go to every server (cookies do not depend on the port)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def open(self, url: str, form: dict | None = None) -> tuple[int, str]:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(url, data=data, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, url: str, form: dict) -> tuple[int, str]:
        """GET the form for its CSRF token, then POST it, on the same server."""
        status, page = self.open(url)
        assert status == 200, (status, page[:300])
        return self.open(url, {"csrf_token": csrf_token(page), **form})


def _registration(n: int) -> dict:
    return {
        "name": f"Osallistuja {n}",
        "email": f"osallistuja{n}@example.fi",
        "organisation": str(organisation("lapin-pelastuslaitos").id),
        "municipality": "",
        "language": "en",
        "consent": "y",
    }


def _failed_logins_until_refused(servers, email: str, most: int) -> int:
    """Wrong passwords, alternating servers, until one is refused: how many were counted."""
    visitor = Visitor()
    for failures in range(most):
        url = next(servers) + "/login?lang=en"
        status, page = visitor.submit(url, {"email": email, "password": "arvaus"})
        if status == 429:
            assert LOCKED_OUT in page_text(page)
            return failures
        assert status == 200 and WRONG_LOGIN in page_text(page), status
    return most


def test_lockout_and_registration_limit_count_once_across_two_gunicorn_servers(
    app, redis_keys, tmp_path
):
    redis, prefix = redis_keys
    user = make_user(Role.COORDINATOR, email="kohde@example.fi")
    event = make_event(capacity=100)
    env = production_environment(app, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    with gunicorn_servers(env, tmp_path, count=2) as (first, second):
        assert first != second
        servers = itertools.cycle([first, second])

        # The lockout: 5 failures in all (HYTU_LOGIN_FAILURES_PER_ACCOUNT), then even the
        # right password is refused, on either server.
        assert _failed_logins_until_refused(servers, user.email, most=12) == 5
        for base in (first, second):
            status, page = Visitor().submit(
                base + "/login?lang=en", {"email": user.email, "password": PASSWORD}
            )
            assert status == 429 and LOCKED_OUT in page_text(page)

        # Registrations: 20 per address (HYTU_REGISTRATION_RATE_LIMIT), the 21st refused.
        visitor = Visitor()
        url = f"/events/{event.id}/register?lang=en"
        statuses = [visitor.submit(next(servers) + url, _registration(n))[0] for n in range(20)]
        assert statuses == [303] * 20
        status, page = visitor.submit(next(servers) + url, _registration(20))
        assert status == 429
        assert TOO_MANY_FORMS in page_text(page)
        assert "Try again in 10 minutes" in page_text(page)

    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 20
    keys = [key.decode() for key in redis.scan_iter(match=f"*{prefix}*")]
    assert any("login-failures-account" in key for key in keys), keys  # under the prefix
    assert any("registration-forms" in key for key in keys), keys  # every form shares it


def test_control_counters_in_each_process_let_twice_as_many_through(app, tmp_path):
    # What the test above would see without Redis: each server counts its own failures.
    user = make_user(Role.COORDINATOR, email="kohde@example.fi")
    env = production_environment(app, RATELIMIT_STORAGE_URI="memory://", HYTU_SINGLE_PROCESS="1")
    with gunicorn_servers(env, tmp_path, count=2) as (first, second):
        servers = itertools.cycle([first, second])
        assert _failed_logins_until_refused(servers, user.email, most=12) == 10


def test_gunicorn_refuses_to_start_with_counters_in_each_process(app, tmp_path):
    env = production_environment(app)  # RATELIMIT_STORAGE_URI unset: memory://
    server = Gunicorn(env, tmp_path / "gunicorn.log")
    try:
        assert server.wait_for_exit() != 0
    finally:
        server.stop()
    log = server.output()
    assert "RATELIMIT_STORAGE_URI is memory://" in log
    assert "Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379" in log


@pytest.mark.parametrize(
    "app_config",
    [
        {
            # Nothing listens on port 1: Redis is "down".
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1",
            "HYTU_REGISTRATION_RATE_LIMIT": "3 per minute",
            "HYTU_LOGIN_FAILURES_PER_ACCOUNT": "2 per hour",
        }
    ],
    ids=["redis-down"],
)
def test_while_redis_is_down_forms_work_and_each_process_counts_alone(client, app_config):
    make_user(Role.COORDINATOR, email="kohde@example.fi")
    event = make_event()
    url = f"/events/{event.id}/register?lang=en"
    token = csrf_token(client.get(url).text)
    statuses = [
        client.post(url, data={**_registration(n), "csrf_token": token}).status_code
        for n in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    logins = [login(client, "kohde@example.fi", "arvaus").status_code for _ in range(3)]
    assert logins == [200, 200, 429]
