"""Ending sessions on the server: a copied session cookie stops working when it should.

Someone who copied a coordinator's session cookie (a shared computer, a stolen laptop, a
proxy log) tries it again after the coordinator logs out, changes their password, or an
administrator changes their role, resets their password or deactivates them. Each time the
copy must send them to the login page, from the web pages and from `flask users ...` alike.
"""

from __future__ import annotations

import pytest
from flask_login.utils import encode_cookie

from hytu_events.models import Role
from tests.accounts.helpers import PASSWORD, log_in, make_user, reload_user
from tests.helpers import csrf_token, post_form

NEW_PASSWORD = "uusi salasana tunturissa"


def copy_session(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "not logged in"
    return cookie.value


def replay(app, value: str, cookie: str = "session"):
    """GET /admin/ from another client that has only the copied cookie."""
    thief = app.test_client()
    thief.set_cookie(cookie, value)
    return thief.get("/admin/")


def assert_sent_to_login(response) -> None:
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].startswith("/login")


def press(client, url: str):
    """Press a button that POSTs to `url` (the CSRF token from a back-office page)."""
    token = csrf_token(client.get("/account/password").text)
    return client.post(url, data={"csrf_token": token})


def cli(app, *args, input=None):
    result = app.test_cli_runner().invoke(args=["users", *args], input=input)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def user(app):
    return make_user(Role.COORDINATOR, email="kaisa@example.fi", name="Kaisa Koordinaattori")


@pytest.fixture
def admin_client(app):
    admin = make_user(Role.ADMIN, email="admin@example.fi", name="Anna Admin")
    client = app.test_client()
    log_in(client, admin)
    return client


@pytest.fixture
def copied(app, client, user):
    """The user logged in on `client`, and a copy of that session cookie that works now."""
    log_in(client, user)
    value = copy_session(client)
    assert replay(app, value).status_code == 200  # the copy opens the back office now
    return value


def _logout(app, client, admin_client, user):
    assert press(client, "/logout").status_code == 303


def _own_password(app, client, admin_client, user):
    response = post_form(
        client,
        "/account/password?lang=en",
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 303


def _reset_password_in_the_back_office(app, client, admin_client, user):
    assert press(admin_client, f"/admin/users/{user.id}/reset-password").status_code == 200


def _set_password_on_the_command_line(app, client, admin_client, user):
    cli(app, "set-password", user.email, input=NEW_PASSWORD + "\n")


def _role_in_the_back_office(app, client, admin_client, user):
    response = post_form(
        admin_client,
        f"/admin/users/{user.id}/edit?lang=en",
        {"name": user.name, "role": "viewer", "organisation": ""},
    )
    assert response.status_code == 303


def _role_on_the_command_line(app, client, admin_client, user):
    cli(app, "set-role", user.email, "viewer")


def _deactivate_in_the_back_office(app, client, admin_client, user):
    assert press(admin_client, f"/admin/users/{user.id}/deactivate").status_code == 303


def _deactivate_on_the_command_line(app, client, admin_client, user):
    cli(app, "deactivate", user.email)


TRIGGERS = {
    "logout": _logout,
    "own-password": _own_password,
    "password-reset-by-admin": _reset_password_in_the_back_office,
    "cli-set-password": _set_password_on_the_command_line,
    "role-by-admin": _role_in_the_back_office,
    "cli-set-role": _role_on_the_command_line,
    "deactivated-by-admin": _deactivate_in_the_back_office,
    "cli-deactivate": _deactivate_on_the_command_line,
}


@pytest.mark.parametrize("trigger", TRIGGERS.values(), ids=TRIGGERS.keys())
def test_a_copied_session_cookie_stops_working(app, client, admin_client, user, copied, trigger):
    other_device = app.test_client()
    log_in(other_device, user)
    trigger(app, client, admin_client, user)
    assert_sent_to_login(replay(app, copied))
    assert_sent_to_login(other_device.get("/admin/"))


def test_after_changing_their_own_password_the_user_stays_logged_in_here(app, client, copied):
    _own_password(app, client, None, None)
    assert client.get("/admin/").status_code == 200
    assert_sent_to_login(replay(app, copied))


def test_reactivating_a_user_does_not_bring_their_old_sessions_back(
    app, admin_client, user, copied
):
    _deactivate_in_the_back_office(app, None, admin_client, user)
    assert press(admin_client, f"/admin/users/{user.id}/reactivate").status_code == 303
    assert reload_user(user).active
    assert_sent_to_login(replay(app, copied))
    log_in(app.test_client(), user)  # logging in again works


def test_an_admin_who_steps_down_stays_logged_in_but_their_other_sessions_end(
    app, admin_client, copied
):
    admin = reload_user("admin@example.fi")
    make_user(Role.ADMIN, email="second@example.fi")  # so that the first may step down
    admin_copy = copy_session(admin_client)
    response = post_form(
        admin_client,
        f"/admin/users/{admin.id}/edit?lang=en",
        {"name": admin.name, "role": "coordinator", "organisation": ""},
    )
    assert response.status_code == 303
    assert admin_client.get("/admin/").status_code == 200
    assert_sent_to_login(replay(app, admin_copy))
    assert replay(app, copied).status_code == 200  # other users' sessions are not touched


def test_changing_only_a_name_keeps_the_sessions(app, admin_client, user, copied):
    response = post_form(
        admin_client,
        f"/admin/users/{user.id}/edit?lang=en",
        {"name": "Kaisa Kemijärvi", "role": "coordinator", "organisation": ""},
    )
    assert response.status_code == 303
    assert replay(app, copied).status_code == 200


def test_a_remember_me_cookie_ends_with_the_sessions(app, client, user, copied):
    # The app offers no "remember me", but Flask-Login accepts such a cookie (signed with the
    # secret key) from any client; it holds the same id as the session, so it ends with it.
    with app.test_request_context():
        remember = encode_cookie(reload_user(user).get_id())
    assert replay(app, remember, cookie="remember_token").status_code == 200
    _logout(app, client, None, user)
    assert_sent_to_login(replay(app, remember, cookie="remember_token"))
