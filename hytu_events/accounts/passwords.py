"""What makes a password acceptable, said once for the web forms and the command line."""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import gettext as _

#: A few passwords people really choose; long enough to pass the length rule, still useless.
_COMMON = {
    "password1234",
    "salasana1234",
    "qwertyuiop12",
    "123456789012",
    "1234567890123",
    "passwordpassword",
    "salasanasalasana",
}


def min_length() -> int:
    return int(current_app.config.get("HYTU_MIN_PASSWORD_LENGTH", 12))


def password_problem(password: str | None, email: str | None = None) -> str | None:
    """Why `password` is not good enough (translated), or None if it is."""
    password = password or ""
    if not password.strip():
        return _("Enter a password.")
    if len(password) < min_length():
        return _("The password must have at least %(num)d characters.", num=min_length())
    lowered = password.lower()
    if len(set(lowered)) < 4 or lowered in _COMMON:
        return _("This password is too easy to guess. Choose a longer phrase.")
    if email and lowered == email.strip().lower():
        return _("The password must not be your email address.")
    return None


def generate_password() -> str:
    """A random password to hand over once (about 96 bits)."""
    return secrets.token_urlsafe(12)
