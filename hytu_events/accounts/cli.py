"""`flask users ...`: managing back-office users from the command line (first admin, recovery).

Every refusal is a usage error: a message on stderr, exit status 2, nothing saved.
"""

from __future__ import annotations

import functools
import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..email_addresses import InvalidEmail, canonical_email
from ..extensions import db
from .models import Role, User
from .operations import (
    UserError,
    change_password,
    create_user,
    find_organisation,
    find_user,
    set_active,
    update_user,
)

ROLE_CHOICE = click.Choice([role.value for role in Role], case_sensitive=False)


def _read_password() -> str:
    """From standard input when it is piped (scripts), else prompted twice without echo."""
    if not sys.stdin.isatty():
        return sys.stdin.read().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True, default="")


def _refuse(message: str) -> None:
    db.session.rollback()
    raise click.UsageError(message)


def _user_or_refuse(email: str) -> User:
    user = find_user(email)
    if user is None:
        _refuse(f"No user with the email address {email!r}.")
    return user


def _commit_or_refuse(action) -> None:
    try:
        action()
    except UserError as error:
        _refuse(str(error.message))
    db.session.commit()


def in_english(command):
    """Operators read the same language as click's own messages (the app defaults to Finnish)."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        with force_locale("en"):
            return command(*args, **kwargs)

    return wrapped


@click.group("users")
def users_group() -> None:
    """Back-office users: create, list, change role, deactivate."""


@users_group.command("create")
@click.option("--email", required=True, help="Login email address.")
@click.option("--name", required=True, help="The person's name.")
@click.option("--role", required=True, type=ROLE_CHOICE, help="viewer, coordinator or admin.")
@click.option("--organisation", "organisation_slug", help="Organisation slug, e.g. lapin-liitto.")
@with_appcontext
@in_english
def create_command(email: str, name: str, role: str, organisation_slug: str | None) -> None:
    """Create a user; the password comes from standard input or a prompt."""
    organisation_id = None
    if organisation_slug:
        organisation = find_organisation(organisation_slug)
        if organisation is None:
            raise click.BadParameter(
                f"no organisation with the slug {organisation_slug!r}", param_hint="--organisation"
            )
        organisation_id = organisation.id
    # Before asking for a password that would be wasted.
    try:
        email = canonical_email(email)
    except InvalidEmail as error:
        _refuse(f"{email!r} is not an email address we can send to: {error}")
    if find_user(email) is not None:
        _refuse(f"A user with the email address {email!r} already exists.")
    password = _read_password()
    _commit_or_refuse(
        lambda: create_user(
            email=email,
            name=name,
            role=Role(role.lower()),
            password=password,
            organisation_id=organisation_id,
        )
    )
    click.echo(f"Created {role.lower()} {email}.")


@users_group.command("list")
@with_appcontext
@in_english
def list_command() -> None:
    """Every user: email, role, active or not, name."""
    users = db.session.scalars(sa.select(User).order_by(User.email))
    for user in users:
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email}\t{user.role.value}\t{state}\t{user.name}")


@users_group.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@with_appcontext
@in_english
def set_role_command(email: str, role: str) -> None:
    """Give EMAIL the role ROLE."""
    user = _user_or_refuse(email)
    _commit_or_refuse(lambda: update_user(user, role=Role(role.lower())))
    click.echo(f"{user.email} is now {user.role.value}.")


@users_group.command("deactivate")
@click.argument("email")
@with_appcontext
@in_english
def deactivate_command(email: str) -> None:
    """Stop EMAIL from logging in (and end their sessions)."""
    _set_active(email, False)


@users_group.command("reactivate")
@click.argument("email")
@with_appcontext
@in_english
def reactivate_command(email: str) -> None:
    """Let a deactivated EMAIL log in again."""
    _set_active(email, True)


def _set_active(email: str, active: bool) -> None:
    user = _user_or_refuse(email)
    _commit_or_refuse(lambda: set_active(user, active))
    click.echo(f"{user.email} is {'active again' if active else 'deactivated'}.")


@users_group.command("set-password")
@click.argument("email")
@with_appcontext
@in_english
def set_password_command(email: str) -> None:
    """Set a new password for EMAIL (from standard input or a prompt)."""
    user = _user_or_refuse(email)
    password = _read_password()
    _commit_or_refuse(lambda: change_password(user, password, by_admin=True))
    click.echo(f"Password of {user.email} changed.")
