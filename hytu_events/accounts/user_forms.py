"""Forms of the admin's user management."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..extensions import db
from ..forms import Form, email_field, labelled_choices, row_choice_field, text_field
from ..partners.models import Organisation
from .forms import password_field
from .models import Role


def _organisation_choices() -> list[SelectChoice]:
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name))
    return [SelectChoice("", str(_l("No organisation")))] + [
        SelectChoice(str(o.id), o.display_name) for o in organisations
    ]


class UserDetailsForm(Form):
    name = text_field(_l("Name"), 200, required=_l("Enter the person's name."))
    role = SelectField(
        _l("Role"),
        choices=labelled_choices(Role),
        coerce=str,
        invalid_choice_message=_l("Choose a role from the list."),
        description=_l(
            "Viewers see the back office but change nothing; coordinators manage events and "
            "participants; administrators also manage users."
        ),
    )
    organisation = row_choice_field(_l("Organisation"), _l("Choose an organisation from the list."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = _organisation_choices()


class UserCreateForm(UserDetailsForm):
    email = email_field(description=_l("The person logs in with this address."))
    password = password_field(
        _l("Initial password (optional)"),
        Optional(),
        autocomplete="new-password",
        description=_l(
            "Leave empty to generate one; it is shown once after saving. Give it to the person "
            "safely; they can change it after logging in."
        ),
    )
