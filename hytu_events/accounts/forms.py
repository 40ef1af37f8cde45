"""Forms of logging in and changing one's own password."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..forms import Form
from .passwords import min_length, password_problem


def password_field(label, *validators, autocomplete: str, **kwargs) -> PasswordField:
    """A password of at most 1000 characters, after `validators`; `autocomplete` tells the
    browser's password manager which password it is (current-password, new-password)."""
    return PasswordField(
        label,
        validators=[*validators, Length(max=1000)],
        render_kw={"autocomplete": autocomplete},
        **kwargs,
    )


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(message=_l("Enter your email address.")), Length(max=254)],
        # The login's name is the email address: "username" is what password managers fill
        # with the saved password (WHATWG allows it on type=email); "email" would offer any
        # address the browser knows. Only one such token is valid, not both.
        render_kw={"autocomplete": "username"},
    )
    password = password_field(
        _l("Password"),
        DataRequired(message=_l("Enter your password.")),
        autocomplete="current-password",
    )


class NewPasswordMixin:
    """The new password twice; `email` (set by the view) is refused as a password."""

    email: str | None = None

    def validate_new_password(self, field):
        if problem := password_problem(field.data, self.email):
            raise ValidationError(problem)


class PasswordChangeForm(NewPasswordMixin, Form):
    current_password = password_field(
        _l("Current password"),
        DataRequired(message=_l("Enter your current password.")),
        autocomplete="current-password",
    )
    new_password = password_field(_l("New password"), autocomplete="new-password")
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(message=_l("Enter the new password again.")),
            EqualTo("new_password", message=_l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_password.description = _(
            "At least %(num)d characters; a phrase of several words is easy to remember.",
            num=min_length(),
        )
