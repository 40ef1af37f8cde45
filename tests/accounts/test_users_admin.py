"""Admins manage users in the web UI; every change is in the audit log."""

import re

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Role, User
from tests.accounts.helpers import audit_entries, log_in, login, make_user, reload_user
from tests.helpers import csrf_token, field_error, organisation, page_text, post_form


@pytest.fixture
def admin(app):
    return make_user(Role.ADMIN, name="Anna Admin")


@pytest.fixture
def admin_client(client, admin):
    log_in(client, admin)
    return client


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def valid_new_user(**overrides):
    data = {
        "email": "Pekka.Palo@Example.fi",
        "name": "Pekka Palo",
        "role": "coordinator",
        "organisation": str(organisation("lapin-avi").id),
        "password": "ruska-aika syksyllä",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user_with_a_password(admin_client, admin, app):
    response = post_form(admin_client, "/admin/users/new?lang=en", valid_new_user())
    assert response.status_code == 303
    user = reload_user("pekka.palo@example.fi")
    assert user.role is Role.COORDINATOR
    assert user.organisation_id == organisation("lapin-avi").id
    [entry] = audit_entries("user.created")
    assert entry.user_id == admin.id
    assert entry.after == {
        "email": "pekka.palo@example.fi",
        "name": "Pekka Palo",
        "role": "coordinator",
        "organisation_id": organisation("lapin-avi").id,
        "active": True,
    }
    listing = page_text(admin_client.get("/admin/users/?lang=en").text)
    assert "Pekka Palo" in listing and "Coordinator" in listing
    fresh = app.test_client()
    assert login(fresh, "pekka.palo@example.fi", "ruska-aika syksyllä").status_code == 303


def test_a_generated_password_is_shown_once_and_works(admin_client, app):
    response = post_form(admin_client, "/admin/users/new?lang=en", valid_new_user(password=""))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r'<span class="secret">([^<]+)</span>', response.text).group(1)
    assert len(password) >= 12
    assert password not in admin_client.get("/admin/users/").text
    assert login(app.test_client(), "pekka.palo@example.fi", password).status_code == 303


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "Enter your email address."),
        ({"email": "not-an-email"}, "email", "Enter an email address"),
        ({"email": "ANNA@example.fi"}, "email", "already exists"),
        ({"name": "  "}, "name", "Enter the person's name."),
        ({"role": "superuser"}, "role", "Choose a role from the list."),
        ({"organisation": "999999"}, "organisation", "Choose an organisation from the list."),
        ({"organisation": "abc"}, "organisation", "Choose an organisation from the list."),
        ({"password": "short"}, "password", "at least 12 characters"),
    ],
    ids=[
        "no-email",
        "bad-email",
        "duplicate-email",
        "no-name",
        "bad-role",
        "unknown-org",
        "non-numeric-org",
        "short-password",
    ],
)
def test_create_rejects_bad_input_at_the_field_and_saves_nothing(
    admin_client, overrides, field, message
):
    make_user(Role.VIEWER, email="anna@example.fi", name="Other Anna")
    before = user_count()
    response = post_form(admin_client, "/admin/users/new?lang=en", valid_new_user(**overrides))
    assert response.status_code == 422
    assert message in (field_error(response.text, field) or ""), page_text(response.text)
    assert user_count() == before
    assert audit_entries("user.created") == []


def test_edit_changes_role_and_records_before_and_after(admin_client, admin):
    user = make_user(Role.VIEWER, email="ville@example.fi", name="Ville")
    response = post_form(
        admin_client,
        f"/admin/users/{user.id}/edit?lang=en",
        {"name": "Ville Vaara", "role": "coordinator", "organisation": ""},
    )
    assert response.status_code == 303
    user = reload_user(user)
    assert (user.name, user.role) == ("Ville Vaara", Role.COORDINATOR)
    [entry] = audit_entries("user.updated")
    assert entry.user_id == admin.id
    assert entry.changes() == [("name", "Ville", "Ville Vaara"), ("role", "viewer", "coordinator")]
    history = page_text(admin_client.get(f"/admin/users/{user.id}/edit?lang=en").text)
    assert "User changed" in history and "Anna Admin" in history
    assert "Role Viewer → changed to Coordinator" in history


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "role": "viewer"}, "name", "Enter the person's name."),
        ({"name": "Ville", "role": "owner"}, "role", "Choose a role from the list."),
        (
            {"name": "Ville", "role": "viewer", "organisation": "-1"},
            "organisation",
            "Choose an organisation",
        ),
    ],
    ids=["no-name", "bad-role", "bad-org"],
)
def test_edit_rejects_bad_input_and_saves_nothing(admin_client, data, field, message):
    user = make_user(Role.COORDINATOR, email="ville@example.fi", name="Ville")
    response = post_form(admin_client, f"/admin/users/{user.id}/edit?lang=en", data)
    assert response.status_code == 422
    assert message in (field_error(response.text, field) or "")
    assert reload_user(user).role is Role.COORDINATOR
    assert audit_entries() == []


def test_the_last_admin_cannot_demote_themself(admin_client, admin):
    response = post_form(
        admin_client,
        f"/admin/users/{admin.id}/edit?lang=en",
        {"name": admin.name, "role": "coordinator", "organisation": ""},
    )
    assert response.status_code == 422
    assert "last active administrator" in field_error(response.text, "role")
    assert reload_user(admin).role is Role.ADMIN
    # With a second admin it is allowed.
    make_user(Role.ADMIN, email="second@example.fi")
    response = post_form(
        admin_client,
        f"/admin/users/{admin.id}/edit?lang=en",
        {"name": admin.name, "role": "coordinator", "organisation": ""},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/password"  # no longer allowed on users
    assert reload_user(admin).role is Role.COORDINATOR


def _press(client, user, action):
    page = client.get(f"/admin/users/{user.id}/edit?lang=en")
    return client.post(
        f"/admin/users/{user.id}/{action}", data={"csrf_token": csrf_token(page.text)}
    )


def test_the_last_admin_cannot_deactivate_themself(admin_client, admin):
    response = _press(admin_client, admin, "deactivate")
    assert response.status_code == 303
    assert "last active administrator" in page_text(
        admin_client.get(response.headers["Location"]).text
    )
    assert reload_user(admin).active
    assert audit_entries() == []


def test_deactivate_and_reactivate_a_user(admin_client, admin, app):
    user = make_user(Role.COORDINATOR, email="kari@example.fi")
    their_client = app.test_client()
    log_in(their_client, user)
    assert _press(admin_client, user, "deactivate").status_code == 303
    assert not reload_user(user).active
    assert their_client.get("/account/password").status_code == 302  # logged out
    assert login(app.test_client(), "kari@example.fi").status_code == 200  # cannot log in
    assert _press(admin_client, user, "reactivate").status_code == 303
    assert reload_user(user).active
    assert login(app.test_client(), "kari@example.fi").status_code == 303
    assert [e.action for e in audit_entries()] == ["user.deactivated", "user.reactivated"]
    assert all(e.user_id == admin.id for e in audit_entries())


def test_reset_password_shows_a_new_one_once(admin_client, admin, app):
    user = make_user(Role.VIEWER, email="liisa@example.fi")
    response = _press(admin_client, user, "reset-password")
    assert response.status_code == 200
    password = re.search(r'<span class="secret">([^<]+)</span>', response.text).group(1)
    assert login(app.test_client(), "liisa@example.fi", password).status_code == 303
    assert [e.action for e in audit_entries()] == ["user.password_reset"]


def test_admin_pages_without_csrf_token_save_nothing(admin_client):
    response = admin_client.post("/admin/users/new", data=valid_new_user())
    assert response.status_code == 400
    assert reload_user("pekka.palo@example.fi") is None


def test_users_link_only_for_admins(client, app):
    coordinator = make_user(Role.COORDINATOR)
    log_in(client, coordinator)
    page = client.get("/account/password?lang=en").text
    assert "/admin/users/" not in page
    assert "Log out (Test Coordinator)" in page_text(page)
    admin_client = app.test_client()
    log_in(admin_client, make_user(Role.ADMIN))
    assert "/admin/users/" in admin_client.get("/account/password").text
