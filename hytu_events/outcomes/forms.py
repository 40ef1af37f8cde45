"""Forms of an event's pages against the plan: the measures it serves, and its outcome."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from ..forms import Form, SubForm, labelled_choices
from ..plan.form_fields import MultiCheckboxField, parse_decimal
from ..plan.models import MunicipalPlanStatus
from ..plan.queries import all_measures
from .models import FollowUpStatus
from .outcomes import FollowUpInput, IndicatorInput, OutcomeInput, StatusMove


class EventMeasuresForm(Form):
    measures = MultiCheckboxField(_l("Measures this event serves"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures.choices = [SelectChoice(m.id, f"{m.code} {m.title}") for m in all_measures()]


class SeriesMeasuresForm(EventMeasuresForm):
    measures = MultiCheckboxField(_l("Measures the dates serve"), coerce=int)


class MeasureEntry(SubForm):
    measure_id = HiddenField()
    advanced = BooleanField(_l("Advanced"))
    note = StringField(_l("How"), [Optional(), Length(max=2000)])


class FollowUpEntry(SubForm):
    what = StringField(_l("What"), [Optional(), Length(max=2000)])
    who = StringField(_l("Who"), [Optional(), Length(max=200)])
    due_on = DateField(_l("Due date"), [Optional()])
    status = SelectField(
        _l("Status"),
        choices=labelled_choices(FollowUpStatus),
        default="open",
        validate_choice=False,
    )

    def filled(self) -> bool:
        return bool((self.what.data or "").strip())

    def validate_status(self, field):
        # Blank rows are skipped, so only a filled-in row needs a known status.
        if self.filled() and field.data not in {s.value for s in FollowUpStatus}:
            raise ValidationError(_l("Choose a status."))

    def to_input(self) -> FollowUpInput:
        status = FollowUpStatus(self.status.data)
        return FollowUpInput(self.what.data or "", self.who.data or "", self.due_on.data, status)


class EmptyOrChoice:
    """Nothing (a blank row), or one of the choices the view gave the field."""

    def __call__(self, form, field):
        if field.data and field.data not in {str(choice.value) for choice in field.choices}:
            raise ValidationError(_l("Choose from the list."))


class IndicatorEntry(SubForm):
    indicator = SelectField(_l("Indicator"), [EmptyOrChoice()], choices=[], validate_choice=False)
    municipality = SelectField(
        _l("Municipality"), [EmptyOrChoice()], choices=[], validate_choice=False
    )
    year = IntegerField(_l("Year"), [Optional(), NumberRange(1900, 2200)])
    value = StringField(_l("Value"), [Optional(), Length(max=30)])

    def validate_indicator(self, field):
        # Here, not at the value: Optional() ends the checks of an empty value or year.
        if field.data and (not (self.value.data or "").strip() or not self.year.data):
            raise ValidationError(_l("Give the year and the value."))

    def validate_value(self, field):
        if field.data:
            try:
                parse_decimal(field.data)
            except ValueError:
                raise ValidationError(_l("Enter a number, for example 12,5.")) from None

    def filled(self) -> bool:
        return (self.indicator.data or "").isdigit()

    def to_input(self) -> IndicatorInput:
        municipality = self.municipality.data
        return IndicatorInput(
            int(self.indicator.data),
            self.year.data,
            parse_decimal(self.value.data),
            int(municipality) if municipality else None,
        )


class StatusEntry(SubForm):
    municipality = SelectField(
        _l("Municipality"), [EmptyOrChoice()], choices=[], validate_choice=False
    )
    status = SelectField(
        _l("New status"),
        choices=labelled_choices(MunicipalPlanStatus),
        validate_choice=False,
    )
    note = StringField(_l("Note"), [Optional(), Length(max=2000)])

    def validate_status(self, field):
        if self.municipality.data and field.data not in {s.value for s in MunicipalPlanStatus}:
            raise ValidationError(_l("Choose a status."))

    def filled(self) -> bool:
        return (self.municipality.data or "").isdigit()

    def to_input(self) -> StatusMove:
        return StatusMove(
            int(self.municipality.data), MunicipalPlanStatus(self.status.data), self.note.data or ""
        )


class OutcomeForm(Form):
    summary = TextAreaField(_l("Summary"), [Optional(), Length(max=10000)])
    agreements = TextAreaField(_l("Agreements made"), [Optional(), Length(max=10000)])
    manual_attendance = IntegerField(
        _l("Number of participants (for events without registration)"),
        [Optional(), NumberRange(min=0, max=100000)],
        description=_l("Leave empty to count the participants marked as attended."),
    )
    measures = FieldList(FormField(MeasureEntry))
    follow_ups = FieldList(FormField(FollowUpEntry), min_entries=3)
    indicator_values = FieldList(FormField(IndicatorEntry), min_entries=2)
    status_moves = FieldList(FormField(StatusEntry), min_entries=2)

    #: Each measure row with its measure, paired by the view; a row whose measure was not found
    #: (a forged or since deleted id) has None.
    measure_rows: list = []

    def to_input(self) -> OutcomeInput:
        """What the coordinator entered, for `record_outcome`; blank rows left out."""
        return OutcomeInput(
            summary=self.summary.data or "",
            agreements=self.agreements.data or "",
            manual_attendance=self.manual_attendance.data,
            measures={
                measure.id: entry.note.data or ""
                for measure, entry in self.measure_rows
                if measure is not None and entry.advanced.data
            },
            follow_ups=_filled_rows(self.follow_ups),
            indicator_values=_filled_rows(self.indicator_values),
            status_moves=_filled_rows(self.status_moves),
        )


def _filled_rows(rows: FieldList) -> list:
    return [row.form.to_input() for row in rows if row.form.filled()]
