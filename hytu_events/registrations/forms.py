"""The public registration form."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from ..extensions import db
from ..forms import Form, email_field, labelled_choices, row_choice_field, text_field
from ..partners.choices import municipality_choices
from ..partners.models import Organisation, OrganisationCategory
from .models import Language
from .operations import ParticipantDetails


def organisation_choices() -> list[SelectChoice]:
    """Organisations grouped by category, partners of the network first within each."""
    organisations = db.session.scalars(
        sa.select(Organisation).order_by(Organisation.is_partner.desc(), Organisation.name)
    )
    by_category: dict[OrganisationCategory, list[Organisation]] = {
        category: [] for category in OrganisationCategory
    }
    for organisation in organisations:
        by_category[organisation.category].append(organisation)
    choices = [SelectChoice("", str(_l("Not on the list (type below)")))]
    for category, members in by_category.items():
        choices += [
            SelectChoice(str(o.id), o.display_name, optgroup=category.label) for o in members
        ]
    return choices


class ParticipantForm(Form):
    """What a person may tell and later change about themselves."""

    name = text_field(
        _l("Name"), 200, required=_l("Enter your name."), render_kw={"autocomplete": "name"}
    )
    organisation = row_choice_field(
        _l("Organisation"),
        _l("Choose an organisation from the list."),
        validate_choice=True,
        description=_l("If yours is not on the list, type its name in the next field."),
    )
    organisation_other = text_field(
        _l("Organisation, if not on the list"), 200, render_kw={"autocomplete": "organization"}
    )
    municipality = row_choice_field(
        _l("Municipality"),
        _l("Choose a municipality from the list."),
        description=_l("The municipality you work in or for."),
    )
    job_title = text_field(
        _l("Job title (optional)"), 200, render_kw={"autocomplete": "organization-title"}
    )
    needs = text_field(
        _l("Accessibility or dietary needs (optional)"),
        2000,
        field_class=TextAreaField,
        description=_l("Only the organisers of this event see this."),
    )
    language = SelectField(
        _l("Language of emails"),
        choices=labelled_choices(Language),
        invalid_choice_message=_l("Choose a language from the list."),
    )

    def __init__(self, *args, asks_for_needs: bool, reader_language: str, **kwargs):
        kwargs.setdefault("language", reader_language)
        super().__init__(*args, **kwargs)
        self.organisation.choices = organisation_choices()
        self.municipality.choices = municipality_choices(reader_language)
        if not asks_for_needs:
            del self.needs

    def validate_organisation(self, field):
        if field.data is None and not self.organisation_other.data:
            raise ValidationError(_l("Choose your organisation, or type its name below."))

    @classmethod
    def for_registration(cls, registration, *, reader_language: str) -> ParticipantForm:
        """The form showing a registration's details (the posted values win on POST)."""
        # Values by name, not obj=registration: WTForms prefers obj's attributes over
        # keywords, and registration.organisation is the related row, not the id the select
        # holds (the page would forget the choice and refuse to save).
        return cls(
            asks_for_needs=registration.event.asks_for_needs,
            reader_language=reader_language,
            name=registration.name,
            organisation=registration.organisation_id,
            organisation_other=registration.organisation_other,
            municipality=registration.municipality_id,
            job_title=registration.job_title,
            needs=registration.needs,
            language=registration.language.value,
        )

    def _values(self) -> dict:
        """The validated details by the registration's attribute names; no needs when the
        event does not ask for them."""
        values = {
            "name": self.name.data,
            "organisation_id": self.organisation.data,
            "organisation_other": None if self.organisation.data else self.organisation_other.data,
            "municipality_id": self.municipality.data,
            "job_title": self.job_title.data or None,
            "language": Language(self.language.data),
        }
        if "needs" in self:
            values["needs"] = self.needs.data or None
        return values

    def apply_to(self, registration) -> None:
        """Save the validated details onto the registration (the caller commits); needs the
        form did not ask for stay as they are."""
        for name, value in self._values().items():
            setattr(registration, name, value)

    def details(self) -> ParticipantDetails:
        """What a new registration is made of, on the forms that also take the email address
        (RegistrationForm, admin_forms.AddParticipantForm)."""
        return ParticipantDetails(email=self.email.data, **{"needs": None, **self._values()})


class RegistrationForm(ParticipantForm):
    email = email_field(
        description=_l("Your invitation and the link to manage your registration are sent here.")
    )
    consent = BooleanField(
        _l(
            "I have read the privacy notice and agree that my details are processed for this event."
        ),
        validators=[DataRequired(_l("You must accept the privacy notice to register."))],
    )
    #: Hidden from people (display: none); bots that fill every field fill this too.
    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off"})

    @property
    def looks_automated(self) -> bool:
        return bool(self.website.data)


class LinkRequestForm(Form):
    """'Send me my link again': asks only for the email."""

    email = email_field()
