"""Forms of the reporting pages: a status change on the municipal plan tracker."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import Form, labelled_choices
from ..plan.models import MunicipalPlanStatus


class StatusChangeForm(Form):
    """A status change from outside an event, such as a council decision."""

    municipality = SelectField(_l("Municipality"), coerce=int, validators=[DataRequired()])
    status = SelectField(_l("New status"), choices=labelled_choices(MunicipalPlanStatus))
    changed_on = DateField(_l("Date"), [DataRequired()])
    source_text = StringField(
        _l("Source"),
        [DataRequired(), Length(max=300)],
        description=_l("For example: council decision 12.3.2025 § 15."),
    )
    note = StringField(_l("Note"), [Optional(), Length(max=2000)])
