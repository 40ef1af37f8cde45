"""Changing one's own password."""

import pytest

from hytu_events.models import Role
from tests.accounts.helpers import PASSWORD, audit_entries, log_in, login, make_user, reload_user
from tests.helpers import field_error, post_form

NEW = "uusi salasana tunturissa"


@pytest.fixture
def user(app):
    return make_user(Role.VIEWER)


def change(client, current, new, confirm):
    return post_form(
        client,
        "/account/password?lang=en",
        {"current_password": current, "new_password": new, "confirm_password": confirm},
    )


@pytest.mark.parametrize(
    ("current", "new", "confirm", "field", "message"),
    [
        ("wrong password here", NEW, NEW, "current_password", "The current password is wrong."),
        (PASSWORD, NEW, NEW + "x", "confirm_password", "The passwords do not match."),
        (PASSWORD, "short", "short", "new_password", "at least 12 characters"),
        (PASSWORD, "", "", "new_password", "Enter a password."),
        (PASSWORD, "viewer@example.fi", "viewer@example.fi", "new_password",
         "must not be your email"),
    ],
    ids=["wrong-current", "mismatch", "too-short", "empty", "email-as-password"],
)
def test_bad_input_is_shown_at_the_field_and_changes_nothing(
    client, user, current, new, confirm, field, message
):
    log_in(client, user)
    old_hash = user.password_hash
    response = change(client, current, new, confirm)
    assert response.status_code == 422
    assert message in (field_error(response.text, field) or "")
    assert reload_user(user).password_hash == old_hash
    assert audit_entries() == []


def test_change_password_keeps_this_session_and_ends_the_others(client, app, user):
    other_device = app.test_client()
    log_in(client, user)
    log_in(other_device, user)
    response = change(client, PASSWORD, NEW, NEW)
    assert response.status_code == 303
    assert client.get("/account/password").status_code == 200
    assert other_device.get("/account/password").status_code == 302
    assert reload_user(user).check_password(NEW)
    [entry] = audit_entries("user.password_changed")
    assert entry.user_id == user.id
    assert entry.before is None and entry.after is None  # no hashes in the log


def test_new_password_works_for_logging_in_and_the_old_one_does_not(client, app, user):
    log_in(client, user)
    change(client, PASSWORD, NEW, NEW)
    fresh = app.test_client()
    assert login(fresh, user.email, PASSWORD).status_code == 200
    assert login(fresh, user.email, NEW).status_code == 303
