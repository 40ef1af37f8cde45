"""Forms to edit the plan itself in the back office: the plan, its focus areas, measures,
indicators and indicator values.

Codes are checked here against the rows already saved, so a clash is a field error rather than
a database error; the views still catch the unique constraints for two people saving at once.
"""

from __future__ import annotations

import enum
import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..extensions import db
from ..forms import Form, labelled_choices, strip, text_field
from ..partners.models import Municipality, Organisation
from .form_fields import MultiCheckboxField, parse_decimal
from .models import FocusArea, FocusAreaKind, Indicator, IndicatorDirection, Measure
from .queries import focus_areas_of

#: Measure and focus area codes appear in addresses (`?measure=T1`) and files.
CODE = re.compile(r"[A-Za-z0-9._-]{1,20}")
#: Indicator codes name columns of import files: lower case, digits and hyphens.
INDICATOR_CODE = re.compile(r"[a-z0-9-]{1,40}")
CODE_TAKEN = _l("This code is already in use.")
YEARS = NumberRange(1900, 2200, message=_l("Enter a year between 1900 and 2200."))


FILL_IN = _l("Fill in this field.")


def _required(label=None):
    return DataRequired(FILL_IN if label is None else label)


def _year(label):
    return IntegerField(label, [DataRequired(_l("Enter a year, for example 2025.")), YEARS])


def _ids(value):
    return int(value)


class DecimalText(StringField):
    """A number typed as people type it in Finland too (`12,5`); `.number` is the float."""

    number: float | None = None

    def pre_validate(self, form):
        self.number = None
        if self.data:
            try:
                self.number = parse_decimal(self.data)
            except ValueError:
                raise ValidationError(_l("Enter a number, for example 12,5.")) from None


class _OrderedYears:
    def validate_end_year(self, field):
        if self.start_year.data and field.data and field.data < self.start_year.data:
            raise ValidationError(_l("The last year cannot be before the first year."))


class PlanForm(_OrderedYears, Form):
    name = text_field(_l("Name"), 200, required=FILL_IN)
    start_year = _year(_l("First year"))
    end_year = _year(_l("Last year"))

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "start_year": self.start_year.data,
            "end_year": self.end_year.data,
        }


class _Coded:
    """A form with a `code` field that must be unique among `model`'s rows."""

    model: type
    pattern: re.Pattern = CODE
    pattern_message = _l("Use letters A-Z, digits, dots, hyphens or underscores, no spaces.")

    def __init__(self, *args, plan_id: int | None = None, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        #: The plan the row belongs to, and the row being edited (None for a new one): its own
        #: code is no clash.
        self.plan_id, self.editing = plan_id, editing

    @classmethod
    def filled(cls, row):
        """The form showing a saved row (on GET): each field from the attribute of its name."""
        form = cls(plan_id=getattr(row, "plan_id", None), editing=row, formdata=None)
        form.process(
            data={f.name: _shown(getattr(row, f.name)) for f in form if hasattr(row, f.name)}
        )
        return form

    def same_code(self, code: str) -> sa.Select:
        return sa.select(self.model.id).where(sa.func.upper(self.model.code) == code.upper())

    def validate_code(self, field):
        if not self.pattern.fullmatch(field.data or ""):
            raise ValidationError(self.pattern_message)
        query = self.same_code(field.data)
        if self.editing is not None:
            query = query.where(self.model.id != self.editing.id)
        if db.session.scalar(query.limit(1)) is not None:
            raise ValidationError(CODE_TAKEN)


class FocusAreaForm(_Coded, Form):
    model = FocusArea

    code = text_field(_l("Code"), 20, required=FILL_IN, description=_l("For example W1 or S3."))
    kind = SelectField(_l("Kind"), choices=labelled_choices(FocusAreaKind))
    name_fi = text_field(_l("Name in Finnish"), 200, required=FILL_IN)
    name_sv = text_field(_l("Name in Swedish"), 200, required=FILL_IN)
    name_en = text_field(_l("Name in English"), 200, required=FILL_IN)
    position = IntegerField(
        _l("Position"),
        [Optional(), NumberRange(0, 999)],
        default=0,
        description=_l("Order within its kind, as in the plan document."),
    )

    def same_code(self, code: str) -> sa.Select:
        return super().same_code(code).where(FocusArea.plan_id == self.plan_id)

    def values(self) -> dict:
        return {
            "code": self.code.data,
            "kind": FocusAreaKind(self.kind.data),
            "name_fi": self.name_fi.data,
            "name_sv": self.name_sv.data,
            "name_en": self.name_en.data,
            "position": self.position.data or 0,
        }


class MeasureForm(_OrderedYears, _Coded, Form):
    model = Measure

    code = text_field(
        _l("Code"), 20, required=FILL_IN, description=_l("Short and stable, for example T7.")
    )
    title = text_field(_l("Title in Finnish"), 300, required=FILL_IN)
    title_sv = text_field(
        _l("Title in Swedish"), 300, description=_l("Empty: Swedish readers see the Finnish title.")
    )
    title_en = text_field(
        _l("Title in English"), 300, description=_l("Empty: English readers see the Finnish title.")
    )
    description = text_field(_l("Description"), 10000, field_class=TextAreaField)
    start_year = _year(_l("First year"))
    end_year = _year(_l("Last year"))
    target_text = text_field(
        _l("Target"),
        2000,
        field_class=TextAreaField,
        description=_l("In words, for example: all 21 municipalities have a combined plan."),
    )
    target_number = DecimalText(
        _l("Target as a number"),
        [Optional(), Length(max=30)],
        filters=[strip],
        description=_l("When the target is a number, for example 21."),
    )
    focus_areas = MultiCheckboxField(_l("Focus areas and themes"), coerce=_ids)
    organisations = MultiCheckboxField(_l("Responsible organisations"), coerce=_ids)
    indicators = MultiCheckboxField(_l("Indicators that follow it"), coerce=_ids)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.focus_areas.choices = [
            SelectChoice(a.id, f"{a.code} {a.name_in('fi')}") for a in focus_areas_of(self.plan_id)
        ]
        self.organisations.choices = [
            SelectChoice(o.id, o.display_name)
            for o in db.session.scalars(
                sa.select(Organisation).order_by(Organisation.is_partner.desc(), Organisation.name)
            )
        ]
        self.indicators.choices = [
            SelectChoice(i.id, f"{i.name} ({i.unit})")
            for i in db.session.scalars(sa.select(Indicator).order_by(Indicator.code))
        ]
        for field in (self.focus_areas, self.organisations, self.indicators):
            field.invalid_choice_message = _l("Choose from the list.")  # type: ignore[attr-defined]

    def values(self) -> dict:
        """The measure's own columns, then its related rows by id (see editing._apply)."""
        return {
            "code": self.code.data,
            "title": self.title.data,
            "title_sv": self.title_sv.data or None,
            "title_en": self.title_en.data or None,
            "description": self.description.data or "",
            "start_year": self.start_year.data,
            "end_year": self.end_year.data,
            "target_text": self.target_text.data or None,
            "target_number": self.target_number.number,
            "focus_areas": self.focus_areas.data,
            "organisations": self.organisations.data,
            "indicators": self.indicators.data,
        }


class IndicatorForm(_Coded, Form):
    model = Indicator
    pattern = INDICATOR_CODE
    pattern_message = _l(
        "Use lower-case letters a-z, digits and hyphens, for example home-accidents."
    )

    code = text_field(
        _l("Code"),
        40,
        required=FILL_IN,
        description=_l("Used in import files, for example home-accidents."),
    )
    name = text_field(_l("Name in Finnish"), 300, required=FILL_IN)
    name_sv = text_field(_l("Name in Swedish"), 300, description=_l("Empty: the Finnish name."))
    name_en = text_field(_l("Name in English"), 300, description=_l("Empty: the Finnish name."))
    unit = text_field(
        _l("Unit in Finnish"),
        80,
        required=FILL_IN,
        description=_l("For example: / 1 000 asukasta."),
    )
    unit_sv = text_field(
        _l("Unit in Swedish"), 80, description=_l("For example: / 1 000 invånare.")
    )
    unit_en = text_field(
        _l("Unit in English"), 80, description=_l("For example: per 1,000 inhabitants.")
    )
    source = text_field(
        _l("Source"),
        120,
        required=FILL_IN,
        description=_l("Where the figures come from, for example: Sotkanet 3113."),
    )
    direction = SelectField(_l("Direction"), choices=labelled_choices(IndicatorDirection))
    target_value = DecimalText(
        _l("Target value"),
        [Optional(), Length(max=30)],
        filters=[strip],
        description=_l("For the whole region; leave empty if the plan names no number."),
    )

    def values(self) -> dict:
        return {
            "code": self.code.data,
            "name": self.name.data,
            "unit": self.unit.data,
            "source": self.source.data,
            **{
                name: self[name].data or None
                for name in ("name_sv", "name_en", "unit_sv", "unit_en")
            },
            "direction": IndicatorDirection(self.direction.data),
            "target_value": self.target_value.number,
        }


class IndicatorValueForm(Form):
    municipality = SelectField(_l("Area"), choices=[], validate_choice=True)
    year = _year(_l("Year"))
    value = DecimalText(
        _l("Value"),
        [_required(_l("Enter a number, for example 12,5.")), Length(max=30)],
        filters=[strip],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality.choices = [SelectChoice("", _l("Whole region"))] + [
            SelectChoice(str(m.id), m.name_fi)
            for m in db.session.scalars(sa.select(Municipality).order_by(Municipality.name_fi))
        ]
        self.municipality.invalid_choice_message = _l("Choose from the list.")  # type: ignore[attr-defined]

    @property
    def municipality_id(self) -> int | None:
        return int(self.municipality.data) if self.municipality.data else None


def _shown(value):
    """A saved value as its field shows it: an enum by value, related rows by id, and a float
    as typed in a Finnish form (21.0 as "21", 12.5 as "12,5")."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [row.id for row in value]
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return value
