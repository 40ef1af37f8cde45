"""Creating and changing users: the rules shared by the admin pages and the command line.

Every change is recorded in the audit log in the same transaction; callers commit. A new
password, a new role and deactivation end every session of the user (`User.end_sessions`):
a copied or forgotten session must not outlive the change.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit
from ..email_addresses import InvalidEmail, canonical_email, normalise_email
from ..extensions import db
from ..partners.models import Organisation
from .models import Role, User
from .passwords import password_problem

#: What the audit log keeps of a user (never the password hash).
USER_FIELDS = ("email", "name", "role", "organisation_id", "active")


class UserError(ValueError):
    """A change that the rules refuse; `field` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def find_user(email: str) -> User | None:
    return db.session.scalars(sa.select(User).where(User.email == normalise_email(email))).first()


def find_organisation(slug: str) -> Organisation | None:
    return db.session.scalars(sa.select(Organisation).where(Organisation.slug == slug)).first()


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    organisation_id: int | None = None,
) -> User:
    try:
        email = canonical_email(email)
    except InvalidEmail:
        raise UserError("email", _("Enter an email address like name@example.fi.")) from None
    name = (name or "").strip()
    if not name:
        raise UserError("name", _("Enter the person's name."))
    if find_user(email) is not None:
        raise UserError("email", _("A user with this email address already exists."))
    if problem := password_problem(password, email):
        raise UserError("password", problem)
    user = User(email=email, name=name, role=role, organisation_id=organisation_id, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", user, after=audit.snapshot(user, USER_FIELDS))
    return user


def _active_admins() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))
    )


def _would_remove_last_admin(user: User) -> bool:
    return user.role is Role.ADMIN and user.active and _active_admins() <= 1


def update_user(
    user: User, *, name: str | None = None, role: Role | None = None, organisation_id=...
) -> User:
    """Change name, role or organisation (`...` leaves the organisation as it is).

    A new role ends the user's sessions.
    """
    before = audit.snapshot(user, USER_FIELDS)
    if name is not None:
        name = name.strip()
        if not name:
            raise UserError("name", _("Enter the person's name."))
        user.name = name
    if role is not None and role is not user.role:
        if role < Role.ADMIN and _would_remove_last_admin(user):
            raise UserError(
                "role", _("This is the last active administrator; make someone else one first.")
            )
        user.role = role
        user.end_sessions()
    if organisation_id is not ...:
        user.organisation_id = organisation_id
    after = audit.snapshot(user, USER_FIELDS)
    if after != before:
        audit.record("user.updated", user, before=before, after=after)
    return user


def set_active(user: User, active: bool) -> User:
    if user.active == active:
        return user
    if not active and _would_remove_last_admin(user):
        raise UserError(
            "active", _("This is the last active administrator; make someone else one first.")
        )
    before = audit.snapshot(user, USER_FIELDS)
    user.active = active
    if not active:  # so that reactivating does not bring the old sessions back
        user.end_sessions()
    audit.record(
        "user.reactivated" if active else "user.deactivated",
        user,
        before=before,
        after=audit.snapshot(user, USER_FIELDS),
    )
    return user


def change_password(user: User, password: str, *, by_admin: bool = False) -> None:
    """Set a new password; every session of the user ends (`User.set_password`)."""
    if problem := password_problem(password, user.email):
        raise UserError("password", problem)
    user.set_password(password)
    audit.record("user.password_reset" if by_admin else "user.password_changed", user)
