"""The forms every feature builds on: the base that refuses hostile input, and shared fields.

Every form of the app derives from `Form` (the rows of a `FieldList(FormField(...))` from
`SubForm`), so each field, whatever its type and validators, refuses
- control characters (NUL, escape codes ...): nobody types them, and PostgreSQL cannot store a
  NUL; tabs and line breaks are refused too, except in multi-line text;
- whole numbers outside the database's integer range, and dates outside the years 1900-2200;
with a message at the field, before its own validators run. tests/app/test_bad_input.py checks
that every form class of the app derives from one of the two.

Below them, the fields, filters and validators that every feature's forms share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import TextArea

from .email_addresses import InvalidEmail, canonical_email
from .numbers import FIRST_YEAR, INT_MAX, INT_MIN, LAST_YEAR
from .text import has_control_characters, only_line_breaks_and_tabs

CONTROL_MESSAGE = _l("Remove the control characters from this field.")
ONE_LINE_MESSAGE = _l("Write this on one line, without tabs or line breaks.")
TOO_LARGE_MESSAGE = _l("Enter a smaller number.")
TOO_SMALL_MESSAGE = _l("Enter a larger number.")
TOO_LONG_MESSAGE = _l("Use at most %(max)d characters.")
DATE_RANGE_MESSAGE = _l(
    "Enter a date between the years %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR
)


def _texts(field) -> list[str]:
    """What the field holds as text: its value after filters if it is text, else what was sent."""
    if isinstance(field.data, str):
        return [field.data]
    values = field.data if isinstance(field.data, list | tuple) else field.raw_data or []
    return [value for value in values if isinstance(value, str)]


def _numbers(field) -> list[int]:
    values = field.data if isinstance(field.data, list | tuple) else [field.data]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


class RefuseHostileInput:
    """The first validator of every field (added by `Form`): one message, the only one shown."""

    def __init__(self, multiline: bool):
        self.multiline = multiline

    def problem(self, field):
        for text in _texts(field):
            if has_control_characters(text, multiline=self.multiline):
                if self.multiline or not only_line_breaks_and_tabs(text):
                    return CONTROL_MESSAGE
                return ONE_LINE_MESSAGE
        for number in _numbers(field):
            if number > INT_MAX:
                return TOO_LARGE_MESSAGE
            if number < INT_MIN:
                return TOO_SMALL_MESSAGE
        if isinstance(field.data, date) and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            return DATE_RANGE_MESSAGE  # a datetime is a date too
        return None

    def __call__(self, form, field):
        if (problem := self.problem(field)) is not None:
            field.errors[:] = []  # "Not a valid choice" and the like say less than this
            raise StopValidation(problem)


class _GuardedUnbound:
    """An unbound field whose fields, once bound, are guarded (the entries of a FieldList)."""

    def __init__(self, unbound: UnboundField):
        self._unbound = unbound

    def bind(self, *args, **kwargs):
        return guard(self._unbound.bind(*args, **kwargs))

    def __getattr__(self, name):
        return getattr(self._unbound, name)


def guard(field):
    """Put `RefuseHostileInput` first in `field`'s validators (a FieldList's entries too)."""
    if isinstance(field, wtforms.FieldList):
        field.unbound_field = _GuardedUnbound(field.unbound_field)
    elif not isinstance(field, wtforms.FormField) and field.short_name != "csrf_token":
        # A FormField's subform guards its own fields; the CSRF token has its own check.
        multiline = isinstance(field.widget, TextArea)
        field.validators = [RefuseHostileInput(multiline), *field.validators]
    return field


class _GuardedMeta:
    def bind_field(self, form, unbound_field, options):
        return guard(super().bind_field(form, unbound_field, options))


class Form(FlaskForm):
    """A form of the app (with its CSRF token)."""

    class Meta(_GuardedMeta, FlaskForm.Meta):
        def render_field(self, field, render_kw):
            # The token is hidden and has no label: without an id, two forms on one page do
            # not repeat id="csrf_token" (a duplicate id is invalid HTML).
            if field.short_name == "csrf_token":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)


class SubForm(wtforms.Form):
    """The rows of a `FieldList(FormField(SubForm))`: no CSRF token of their own."""

    class Meta(_GuardedMeta, wtforms.Form.Meta):
        pass


def optional_int(value):
    """'' means 'none chosen'; anything else must be a whole number."""
    if value in ("", None):
        return None
    return int(value)


def row_choice_field(label, not_listed, **kwargs) -> wtforms.SelectField:
    """A choice of one row by its id, or of none (''); `not_listed` answers any other value,
    whether an id that is not among the choices or no number at all."""
    return wtforms.SelectField(
        label,
        coerce=optional_int,
        invalid_choice_message=not_listed,
        invalid_value_message=not_listed,
        **kwargs,
    )


def labelled_choices(enum_cls, *, empty=None) -> Callable[[], list[SelectChoice]]:
    """The members of a labelled enum (db.labels) as a field's choices, named in the reader's
    language; `empty` labels a first option '' ("Choose ...") for the field's validator to refuse.

    The choices are a callable, which WTForms calls for each form it makes, inside the request:
    a list written in a class body would be built once, when the module is imported, and show
    that moment's language (the English source strings) on every page.
    """

    def choices() -> list[SelectChoice]:
        first = [SelectChoice("", str(empty))] if empty is not None else []
        return first + [SelectChoice(member.value, member.label) for member in enum_cls]

    return choices


def field_labels(form_class: type) -> dict[str, object]:
    """The labels of a form class's fields by name (lazy strings), read without making a form:
    what the change history calls the columns the form edits."""
    fields = (
        (name, getattr(form_class, name)) for name in dir(form_class) if not name.startswith("_")
    )
    return {
        name: field.kwargs.get("label", field.args[0] if field.args else name)
        for name, field in fields
        if isinstance(field, UnboundField)
    }


def strip(value):
    return value.strip() if isinstance(value, str) else value


def text_field(
    label,
    max_length: int,
    *,
    required=None,
    field_class=wtforms.StringField,
    validators=(),
    **kwargs,
):
    """Text people type, without the spaces around it, of at most `max_length` characters.

    `required` is the message asking for it when it is left empty; without one the field is
    optional. `validators` run after those two; `field_class` is a TextAreaField for several
    lines, an EmailField for an address.
    """
    return field_class(
        label,
        filters=[strip],
        validators=[
            DataRequired(required) if required is not None else Optional(),
            Length(max=max_length, message=TOO_LONG_MESSAGE),
            *validators,
        ],
        **kwargs,
    )


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
    return text_field(
        _l("Email"),
        254,
        required=_l("Enter your email address."),
        field_class=EmailField,
        validators=[SendableEmail()],
        render_kw={"autocomplete": "email"},
        **kwargs,
    )
