"""The new-event form: the event form with its "Repeats" fieldset, which makes a series.

A repetition the form can check itself (a weekday that is not the first date's, a monthly week
the first date is not in, an end before the start) is a message at its field; what only the
series feature can tell (more dates than a series may have) comes back from it as
events.repeats.RepetitionRefused and is shown the same way (events.admin).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from ..i18n import weekday_names
from ..plan.form_fields import MultiCheckboxField
from .admin_forms import EventForm
from .repeats import MONTHLY, WEEKDAY_CODES, WEEKLY, WEEKS_OF_MONTH, Repetition, falls_on
from .repeats import week_of_month as week_of_month_of

ONCE = "once"
ON_DATE, AFTER = "on_date", "after"
#: Every other week up to once a year.
MAX_EVERY = 52


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class NewEventForm(EventForm):
    repeats = RadioField(_l("How often"), default=ONCE, validate_choice=False)
    every = IntegerField(
        _l("Repeat every ... weeks or months"),
        default=1,
        validators=[
            Optional(),
            NumberRange(
                min=1, max=MAX_EVERY, message=_l("Enter a number from 1 to %(max)d.", max=MAX_EVERY)
            ),
        ],
        description=_l("1: every week or month; 2: every other week or month."),
    )
    weekdays = MultiCheckboxField(
        _l("Days of the week (weekly)"),
        validate_choice=False,
        description=_l("One or more; none chosen: the first date's day of the week."),
    )
    week_of_month = SelectField(
        _l("Which week of the month (monthly)"),
        validate_choice=False,
        description=_l("On the first date's day of the week, in every month of the series."),
    )
    ends = RadioField(_l("Ends"), default=AFTER, validate_choice=False)
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    number_of_dates = IntegerField(
        _l("Number of dates"),
        validators=[Optional(), NumberRange(min=1, message=_l("Enter a number from 1 up."))],
    )

    #: The fields in the order the page shows them (the error summary lists them so).
    PAGE_ORDER = (
        *("kind", "title", "description"),
        *("title_sv", "description_sv", "title_en", "description_en", "starts_at", "ends_at"),
        *("repeats", "every", "weekdays", "week_of_month", "ends", "number_of_dates", "ends_on"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built for each form, so that the labels are in the reader's language.
        self.repeats.choices = [
            SelectChoice(ONCE, _("Does not repeat")),
            SelectChoice(WEEKLY, _("Weekly")),
            SelectChoice(MONTHLY, _("Monthly")),
        ]
        self.weekdays.choices = [
            SelectChoice(code, capitalised(name))
            for code, name in zip(WEEKDAY_CODES, weekday_names(), strict=True)
        ]
        self.week_of_month.choices = [SelectChoice("", _("As the first date falls"))] + [
            SelectChoice(str(which), capitalised(str(word)))
            for which, word in WEEKS_OF_MONTH.items()
        ]
        self.ends.choices = [
            SelectChoice(AFTER, _("After a number of dates")),
            SelectChoice(ON_DATE, _("On a day")),
        ]

    @property
    def first_day(self):
        """The first date's day on the wall clock, or None while the start is wrong."""
        if self.starts_at.data is None or self.starts_at.errors:
            return None
        return self.starts_at.data.date()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.repeats.data not in (ONCE, WEEKLY, MONTHLY):
            self.repeats.errors.append(_("Choose how the event repeats."))
            return False
        if self.repeats.data == ONCE or self.first_day is None:
            return valid
        checks = (self._check_every, self._check_days, self._check_end)
        return all([check() for check in checks]) and valid

    def _fail(self, field, message: str) -> bool:
        field.errors.append(message)
        return False

    def _check_every(self) -> bool:
        if self.every.errors:
            return False
        return True if self.every.data else self._fail(self.every, _("Enter a number from 1 up."))

    def _check_days(self) -> bool:
        first = self.first_day
        names = weekday_names()
        weekday = names[first.weekday()]
        if self.repeats.data == WEEKLY:
            codes = self.weekdays.data or []
            if any(code not in WEEKDAY_CODES for code in codes):
                return self._fail(self.weekdays, _("Choose from the list."))
            if codes and WEEKDAY_CODES[first.weekday()] not in codes:
                return self._fail(
                    self.weekdays,
                    _(
                        "The first date is a %(weekday)s: choose that day too, or change the "
                        "first date.",
                        weekday=weekday,
                    ),
                )
            return True
        which = self.week_of_month.data
        if which in ("", None):
            return True
        if which not in {str(key) for key in WEEKS_OF_MONTH}:
            return self._fail(self.week_of_month, _("Choose from the list."))
        if not falls_on(first, int(which)):
            return self._fail(
                self.week_of_month,
                _(
                    "The first date is not the %(which)s %(weekday)s of its month.",
                    which=WEEKS_OF_MONTH[int(which)],
                    weekday=weekday,
                ),
            )
        return True

    def _check_end(self) -> bool:
        if self.ends.data == AFTER:
            if self.number_of_dates.errors:
                return False
            if not self.number_of_dates.data:
                return self._fail(self.number_of_dates, _("Enter how many dates the series has."))
            return True
        if self.ends.data == ON_DATE:
            if self.ends_on.errors:
                return False
            if self.ends_on.data is None:
                return self._fail(self.ends_on, _("Enter the last day of the series."))
            if self.ends_on.data < self.first_day:
                return self._fail(self.ends_on, _("The last day cannot be before the first date."))
            return True
        return self._fail(self.ends, _("Choose how the series ends."))

    def repetition(self) -> Repetition | None:
        """How the event repeats (after validation), or None when it does not."""
        if self.repeats.data not in (WEEKLY, MONTHLY):
            return None
        first = self.first_day
        weekday = WEEKDAY_CODES[first.weekday()]
        which = None
        if self.repeats.data == MONTHLY:
            chosen = self.week_of_month.data
            which = int(chosen) if chosen else week_of_month_of(first)
            if which == 5:  # a fifth Thursday is the last one: not every month has one
                which = -1
            weekdays = (weekday,)
        else:
            chosen = [code for code in WEEKDAY_CODES if code in (self.weekdays.data or [])]
            weekdays = tuple(chosen) or (weekday,)
        on_date = self.ends.data == ON_DATE
        return Repetition(
            frequency=self.repeats.data,
            every=self.every.data,
            weekdays=weekdays,
            week_of_month=which,
            until=self.ends_on.data if on_date else None,
            count=None if on_date else self.number_of_dates.data,
        )
