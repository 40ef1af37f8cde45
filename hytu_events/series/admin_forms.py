"""Forms of a series' pages: a date's edit with the dates it applies to, and the series' end."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from ..events.admin_forms import EventForm
from ..forms import Form, text_field
from .recurrence import MAX_DATES

THIS, FOLLOWING, ALL = "this", "following", "all"
AFTER, ON_DATE = "after", "on_date"


class DateForm(EventForm):
    """The event form of one date, with the dates the change applies to."""

    scope = RadioField(
        _l("Change"),
        default=THIS,
        invalid_choice_message=_l("Choose which dates the change applies to."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built for each form, so that the labels are in the reader's language.
        self.scope.choices = [
            SelectChoice(THIS, _("This date only")),
            SelectChoice(FOLLOWING, _("This and the following dates")),
            SelectChoice(ALL, _("All dates")),
        ]


class EndForm(Form):
    ends = RadioField(_l("Ends"), invalid_choice_message=_l("Choose how the series ends."))
    number_of_dates = IntegerField(
        _l("Number of dates"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_DATES,
                message=_l("Enter a number from 1 to %(max)d.", max=MAX_DATES),
            ),
        ],
        description=_l("All the dates of the series, the ones held included."),
    )
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    reason = text_field(
        _l("Reason for cancelling"),
        2000,
        field_class=TextAreaField,
        description=_l(
            "Needed when published dates are removed: they are cancelled, and the reason is "
            "shown on their public pages."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ends.choices = [
            SelectChoice(AFTER, _("After a number of dates")),
            SelectChoice(ON_DATE, _("On a day")),
        ]

    @classmethod
    def for_series(cls, series) -> EndForm:
        on_date = series.ends_on is not None
        return cls(
            data={
                "ends": ON_DATE if on_date else AFTER,
                "ends_on": series.ends_on,
                "number_of_dates": series.number_of_dates,
            }
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        counted = self.ends.data == AFTER and not self.number_of_dates.errors
        if counted and not self.number_of_dates.data:
            self.number_of_dates.errors.append(_("Enter how many dates the series has."))
            valid = False
        if self.ends.data == ON_DATE and not self.ends_on.errors and self.ends_on.data is None:
            self.ends_on.errors.append(_("Enter the last day of the series."))
            valid = False
        return valid

    def end(self) -> dict:
        """The end as change_end takes it."""
        if self.ends.data == ON_DATE:
            return {"until": self.ends_on.data, "count": None}
        return {"until": None, "count": self.number_of_dates.data}
