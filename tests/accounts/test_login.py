"""Logging in and out: what a coordinator sees, and what an attacker does not learn."""

import re
from urllib.parse import urlsplit

import pytest
from argon2 import PasswordHasher

from hytu_events.accounts import models
from hytu_events.extensions import db
from hytu_events.models import Role
from tests.accounts.helpers import PASSWORD, log_in, login, make_user, reload_user
from tests.helpers import csrf_token, page_text

WRONG_LOGIN = "The email address or password is wrong, or the account is not in use."


@pytest.fixture
def app_config():
    # Small limits, so the throttling tests need few requests.
    return {
        "HYTU_LOGIN_FAILURES_PER_ACCOUNT": "3 per hour",
        "HYTU_LOGIN_FAILURES_PER_IP": "5 per hour",
    }


def test_login_goes_to_the_page_asked_for_and_records_the_time(client):
    user = make_user(Role.ADMIN)
    assert user.last_login_at is None
    sent_away = client.get("/admin/users/?sort=name")
    assert sent_away.status_code == 302
    assert sent_away.headers["Location"] == "/login?next=/admin/users/?sort%3Dname"
    response = login(client, "ADMIN@example.fi ", next_url="/admin/users/%3Fsort%3Dname")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/users/?sort=name"
    assert client.get("/admin/users/").status_code == 200
    assert reload_user(user).last_login_at is not None


def _failure(client, email, password, ip="192.0.2.10"):
    response = login(client, email, password, environ_base={"REMOTE_ADDR": ip})
    return response.status_code, page_text(response.text)


def test_unknown_email_and_wrong_password_get_the_same_answer(client):
    make_user(Role.COORDINATOR, email="known@example.fi")
    wrong_password = _failure(client, "known@example.fi", "not the password at all")
    unknown_email = _failure(client, "unknown@example.fi", "not the password at all")
    assert wrong_password == unknown_email
    assert wrong_password[0] == 200
    assert WRONG_LOGIN in wrong_password[1]
    assert client.get("/account/password").status_code == 302  # still not logged in


def test_deactivated_user_cannot_log_in_and_gets_the_same_answer(client):
    make_user(Role.COORDINATOR, email="gone@example.fi", active=False)
    status, text = _failure(client, "gone@example.fi", PASSWORD)
    assert (status, text) == _failure(client, "unknown@example.fi", PASSWORD)
    assert client.get("/account/password").status_code == 302


def test_deactivating_ends_a_session_that_is_already_open(client):
    user = make_user(Role.COORDINATOR)
    log_in(client, user)
    assert client.get("/account/password").status_code == 200
    user.active = False
    db.session.commit()
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_failures_on_one_account_throttle_that_account(client):
    make_user(Role.COORDINATOR, email="target@example.fi")
    make_user(Role.VIEWER, email="other@example.fi")
    for n in range(3):  # from different addresses: the account counter alone stops this
        assert _failure(client, "target@example.fi", "guess", ip=f"198.51.100.{n}")[0] == 200
    status, text = _failure(client, "target@example.fi", PASSWORD, ip="198.51.100.99")
    assert status == 429
    assert "Too many failed attempts" in text
    assert client.get("/account/password").status_code == 302  # right password, still refused
    # An unknown email is throttled just the same, so 429 does not reveal an account.
    for n in range(3):
        _failure(client, "nobody@example.fi", "guess", ip=f"198.51.100.{n}")
    assert _failure(client, "nobody@example.fi", "guess", ip="198.51.100.99")[0] == 429
    # Other accounts are not affected.
    response = login(client, "other@example.fi", environ_base={"REMOTE_ADDR": "198.51.100.99"})
    assert response.status_code == 303


def test_failures_from_one_address_throttle_that_address(client):
    make_user(Role.COORDINATOR, email="real@example.fi")
    for n in range(5):  # a different email every time: the address counter stops this
        assert _failure(client, f"guess{n}@example.fi", "guess", ip="203.0.113.7")[0] == 200
    status, text = _failure(client, "real@example.fi", PASSWORD, ip="203.0.113.7")
    assert status == 429 and "Too many failed attempts" in text
    response = login(client, "real@example.fi", environ_base={"REMOTE_ADDR": "203.0.113.8"})
    assert response.status_code == 303


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "http:evil.example",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(client, target):
    user = make_user(Role.COORDINATOR)
    page = client.get("/login", query_string={"next": target})
    if "\t" in target:  # control characters in an address are refused before any view
        assert page.status_code == 400
        return
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"csrf_token": csrf_token(page.text), "email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert "evil" not in location and "javascript" not in location
    parts = urlsplit(location)
    assert parts.netloc in ("", "hytu.test") and location.startswith("/")
    assert not location.startswith("//")


def test_next_is_ignored_when_already_logged_in_and_unsafe(client):
    log_in(client, make_user(Role.VIEWER))
    response = client.get("/login", query_string={"next": "//evil.example/"})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_logout_needs_a_post_and_ends_the_session(client):
    log_in(client, make_user(Role.VIEWER))
    page = client.get("/account/password")
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    assert client.get("/account/password").status_code == 302


def test_logout_without_csrf_token_is_refused(client):
    log_in(client, make_user(Role.VIEWER))
    assert client.post("/logout").status_code == 400
    assert client.get("/account/password").status_code == 200


def test_login_upgrades_a_hash_made_with_old_parameters(client):
    user = make_user(Role.VIEWER)
    user.password_hash = PasswordHasher(time_cost=2, memory_cost=2048).hash(PASSWORD)
    db.session.commit()
    old_hash = user.password_hash
    log_in(client, user)
    new_hash = reload_user(user).password_hash
    assert new_hash != old_hash
    assert not models.password_hasher.check_needs_rehash(new_hash)
    assert models.password_hasher.verify(new_hash, PASSWORD)


def test_production_hashes_use_argon2id_with_current_parameters(app):
    # The tests run with a cheap hasher (tests/conftest.py); the app's own is the default one.
    hasher = models.PasswordHasher()
    assert hasher.hash("x").startswith("$argon2id$")
    assert not hasher.check_needs_rehash(models._DUMMY_HASH)


def test_login_form_asks_for_both_fields(client):
    response = login(client, "", "")
    assert response.status_code == 200
    text = page_text(response.text)
    assert "Enter your email address." in text and "Enter your password." in text


def _input(html: str, field_id: str) -> dict[str, str]:
    tag = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', html).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_password_managers_know_which_field_is_which(client):
    """The login is an email address: type=email gives phones their @ keyboard, and
    autocomplete=username marks it as the account's name that password managers store and fill
    with the password (WHATWG allows username on type=email, whatwg/html#5881); "email" would
    offer the addresses the browser knows instead of the saved login. One token only: "email
    username" is no valid autocomplete value."""
    html = client.get("/login").text
    email, password = _input(html, "email"), _input(html, "password")
    assert (email["type"], email["autocomplete"]) == ("email", "username")
    assert (password["type"], password["autocomplete"]) == ("password", "current-password")
