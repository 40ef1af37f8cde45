"""Back-office users and their roles."""

from __future__ import annotations

import contextlib
import functools
import secrets
from datetime import datetime

import flask_login
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.constraints import not_empty
from ..db.labels import LabelledEnum
from ..db.types import CreatedAt, EmailAddress, IntPK, Name, enum_column
from ..email_addresses import normalise_email
from ..extensions import db
from ..partners.models import Organisation

#: One hasher for the app; its parameters are argon2-cffi's current recommendation, and
#: hashes made with older parameters are upgraded at the next successful login.
password_hasher = PasswordHasher()


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


@functools.total_ordering
class Role(LabelledEnum):
    """What a user may do; each role includes everything the ones below it may do."""

    VIEWER = "viewer", _l("Viewer")
    COORDINATOR = "coordinator", _l("Coordinator")
    ADMIN = "admin", _l("Administrator")

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __lt__(self, other):
        if not isinstance(other, Role):
            return NotImplemented
        return self.rank < other.rank


_RANKS = {Role.VIEWER: 0, Role.COORDINATOR: 1, Role.ADMIN: 2}


class User(db.Model, flask_login.UserMixin):
    """A person who works in the back office (coordinators of the network and their helpers)."""

    __tablename__ = "users"

    id: Mapped[IntPK]
    #: Always stored in lower case, so logging in does not depend on how it was typed.
    email: Mapped[EmailAddress] = mapped_column(unique=True)
    name: Mapped[Name]
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"), default=Role.VIEWER)
    #: Deactivated users cannot log in and are logged out at their next request; rows stay
    #: so the audit log keeps naming who did what.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: argon2id hash in PHC format (parameters included), never the password itself.
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: Part of every session id (`get_id`), so of every session and remember-me cookie: a new
    #: one (`end_sessions`) ends them all, at logout, a password change, a role change and
    #: deactivation. Random, so a session id cannot be guessed even by someone who can sign one.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
        not_empty("email"),
        not_empty("name"),
    )

    @sa.orm.validates("email")
    def _normalise_email(self, key, value: str) -> str:
        return normalise_email(value)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in inactive users
        return bool(self.active)

    def get_id(self) -> str:
        """Flask-Login's alternative id: the session holds this, and only this, of the user."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """End every session of this user, on every device, at its next request.

        Whoever should stay logged in (a user who changed their own password) is logged in
        again with the new id; the caller commits.
        """
        self.session_token = new_session_token()

    def has_role(self, role: Role) -> bool:
        """At least `role` (an admin may do whatever a coordinator may)."""
        return self.role >= role

    def set_password(self, password: str) -> None:
        """A new password ends every session made with the old one."""
        self.password_hash = password_hasher.hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        """True if it matches; upgrades the stored hash when the hasher's parameters changed.

        The caller commits (the login view does, together with `last_login_at`).
        """
        try:
            password_hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if password_hasher.check_needs_rehash(self.password_hash):
            self.password_hash = password_hasher.hash(password)
        return True

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


#: Verified against when the email is unknown, so that a wrong email costs as much time as a
#: wrong password and response times do not tell which emails have accounts.
_DUMMY_HASH = password_hasher.hash("no such user: this hash only burns time")


def burn_password_check(password: str) -> None:
    with contextlib.suppress(VerificationError, InvalidHashError):
        password_hasher.verify(_DUMMY_HASH, password)
