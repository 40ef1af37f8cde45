"""The registration form of a series' page: the single-event form, and which dates."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..events.models import Event
from ..i18n import event_time_range
from ..plan.form_fields import MultiCheckboxField
from ..registrations.forms import RegistrationForm

ALL, CHOSEN = "all", "chosen"
NOT_LISTED = _l("Choose dates from the list.")


class SeriesRegistrationForm(RegistrationForm):
    which = RadioField(
        _l("Which dates"),
        choices=[
            SelectChoice(ALL, _l("All upcoming dates")),
            SelectChoice(CHOSEN, _l("Only the dates I choose below")),
        ],
        default=ALL,
        invalid_choice_message=_l("Choose all upcoming dates, or the dates you tick."),
    )
    # Any public date of the series is accepted (one may close while the form is open: the
    # confirmation says so); only the open ones are offered.
    dates = MultiCheckboxField(
        _l("Dates"),
        description=_l("Tick the dates you will come to, if you chose only some above."),
        coerce=int,
        validate_choice=False,
        invalid_value_message=NOT_LISTED,
    )

    def __init__(self, *args, open_dates: list[Event], full: set[int], known: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known
        self.dates.choices = [
            SelectChoice(event.id, _date_label(event, event.id in full)) for event in open_dates
        ]

    def validate_dates(self, field):
        if field.process_errors:  # not even numbers: NOT_LISTED is said already
            return
        if any(event_id not in self.known for event_id in field.data or ()):
            raise ValidationError(NOT_LISTED)
        if self.which.data == CHOSEN and not field.data:
            raise ValidationError(_l("Tick at least one date, or choose all upcoming dates."))
        if self.which.data == ALL and field.data:
            # Ticks with "all dates" chosen: which one was meant is for the person to say.
            raise ValidationError(
                _l("You chose all upcoming dates: untick these, or choose only the dates you tick.")
            )

    def chosen_ids(self) -> list[int] | None:
        """The dates ticked, or None for every upcoming date."""
        return list(self.dates.data) if self.which.data == CHOSEN else None


def _date_label(event: Event, full: bool) -> str:
    when = event_time_range(event.starts_at, event.ends_at)
    return _("%(when)s (full: waiting list)", when=when) if full else when
