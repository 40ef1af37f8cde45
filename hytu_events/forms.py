"""Form fields, filters and validators that every feature's forms share."""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import EmailField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from .email_addresses import InvalidEmail, canonical_email
from .extensions import db
from .partners.models import Municipality


def optional_int(value):
    """'' means 'none chosen'; anything else must be a whole number."""
    if value in ("", None):
        return None
    return int(value)


class PlainText:
    """Refuses control characters (NUL, escape codes ...) that no person types on purpose."""

    def __init__(self, multiline: bool = False):
        self.allowed = {"\n", "\r", "\t"} if multiline else {"\t"}

    def __call__(self, form, field):
        if field.data and any(
            unicodedata.category(ch) == "Cc" and ch not in self.allowed for ch in field.data
        ):
            raise ValidationError(_l("Remove the control characters from this field."))


def strip(value):
    return value.strip() if isinstance(value, str) else value


def municipality_choices(language: str) -> list[SelectChoice]:
    municipalities = db.session.scalars(sa.select(Municipality).order_by(Municipality.name_fi))
    return [SelectChoice("", str(_l("Region-wide or outside Lapland")))] + [
        SelectChoice(str(m.id), m.name_in(language)) for m in municipalities
    ]


class SendableEmail:
    """The address rule of hytu_events.email_addresses, so that what a form accepts is exactly
    what the operation behind it stores (internationalised addresses included)."""

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            canonical_email(field.data)
        except InvalidEmail:
            raise ValidationError(_l("Enter an email address like name@example.fi.")) from None


def email_field(**kwargs) -> EmailField:
    """An email address: every form that takes one uses this field."""
    return EmailField(
        _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
            PlainText(),
            SendableEmail(),
        ],
        render_kw={"autocomplete": "email"},
        **kwargs,
    )
