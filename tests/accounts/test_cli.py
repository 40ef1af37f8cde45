"""`flask users ...`: creating the first admin from a script, and refusals that save nothing."""

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Role, User
from tests.accounts.helpers import audit_entries, make_user, reload_user
from tests.helpers import organisation


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["users", *args], input=input)


def user_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_create_reads_the_password_from_stdin(app):
    result = run(
        app,
        "create",
        "--email", "Aino.Aikio@LapinLiitto.fi",
        "--name", "Aino Aikio",
        "--role", "admin",
        "--organisation", "lapin-liitto",
        input="revontulet ja tunturit\n",
    )
    assert result.exit_code == 0, result.output
    user = reload_user("aino.aikio@lapinliitto.fi")
    assert user.name == "Aino Aikio"
    assert user.role is Role.ADMIN
    assert user.organisation_id == organisation("lapin-liitto").id
    assert user.active
    assert user.check_password("revontulet ja tunturit")  # the newline is not part of it
    assert "revontulet" not in user.password_hash
    [entry] = audit_entries("user.created")
    assert entry.user_id is None and entry.after["role"] == "admin"


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--role", "boss"], "revontulet ja tunturit", "'boss' is not one of"),
        (["--role", "viewer", "--organisation", "no-such-org"], "revontulet ja tunturit",
         "no organisation"),
        (["--role", "viewer"], "", "Enter a password"),
        (["--role", "viewer"], "lyhyt", "at least 12 characters"),
        (["--role", "viewer"], "aaaaaaaaaaaaaaaa", "too easy to guess"),
    ],
    ids=["unknown-role", "unknown-organisation", "empty-password", "short-password",
         "guessable-password"],
)
def test_create_refuses_bad_input_with_exit_2(app, args, password, message):
    result = run(
        app, "create", "--email", "uusi@example.fi", "--name", "Uusi", *args, input=password + "\n"
    )
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert user_count() == 0


def test_create_refuses_a_duplicate_email_whatever_its_case(app):
    make_user(Role.VIEWER, email="olli@example.fi")
    result = run(
        app, "create", "--email", "OLLI@example.fi", "--name", "Olli", "--role", "admin",
        input="revontulet ja tunturit\n",
    )
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert user_count() == 1
    assert reload_user("olli@example.fi").role is Role.VIEWER


def test_list_set_role_and_deactivate(app):
    make_user(Role.ADMIN, email="admin@example.fi")
    make_user(Role.VIEWER, email="katja@example.fi", name="Katja")
    assert run(app, "set-role", "katja@example.fi", "coordinator").exit_code == 0
    assert reload_user("katja@example.fi").role is Role.COORDINATOR
    assert run(app, "deactivate", "KATJA@example.fi").exit_code == 0
    assert not reload_user("katja@example.fi").active
    listing = run(app, "list").output
    assert "katja@example.fi\tcoordinator\tdeactivated\tKatja" in listing
    assert "admin@example.fi\tadmin\tactive" in listing
    assert [e.action for e in audit_entries()] == ["user.updated", "user.deactivated"]


@pytest.mark.parametrize(
    "args",
    [["set-role", "nobody@example.fi", "admin"], ["deactivate", "nobody@example.fi"],
     ["set-role", "admin@example.fi", "superuser"]],
    ids=["set-role-unknown-email", "deactivate-unknown-email", "set-role-unknown-role"],
)
def test_changes_to_unknown_users_or_roles_exit_2(app, args):
    make_user(Role.ADMIN, email="admin@example.fi")
    result = run(app, *args)
    assert result.exit_code == 2
    assert result.stderr.strip()
    assert reload_user("admin@example.fi").role is Role.ADMIN
    assert audit_entries() == []


def test_the_last_admin_cannot_be_demoted_or_deactivated(app):
    make_user(Role.ADMIN, email="admin@example.fi")
    for args in (["set-role", "admin@example.fi", "viewer"], ["deactivate", "admin@example.fi"]):
        result = run(app, *args)
        assert result.exit_code == 2
        assert "last active administrator" in result.stderr
    user = reload_user("admin@example.fi")
    assert user.role is Role.ADMIN and user.active
