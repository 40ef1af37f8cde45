"""The feedback form: a minute's work, one fieldset per question."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..forms import Form, text_field
from ..plan.models import Measure
from .models import Helped

#: Scale labels: the ends say what the numbers mean, for every reader, not only for sight.
SCALE = [
    SelectChoice("1", _l("1 – not useful")),
    SelectChoice("2", "2"),
    SelectChoice("3", "3"),
    SelectChoice("4", "4"),
    SelectChoice("5", _l("5 – very useful")),
]
TEXT_LIMIT = 4000


class FeedbackForm(Form):
    usefulness = RadioField(
        _l("How useful was the event for your work?"),
        choices=SCALE,
        validators=[InputRequired(_l("Choose a number from 1 to 5."))],
        invalid_choice_message=_l("Choose a number from 1 to 5."),
    )
    take_forward = text_field(
        _l("What will you take forward in your municipality or organisation?"),
        TEXT_LIMIT,
        field_class=TextAreaField,
    )
    comment = text_field(_l("Anything else? (optional)"), TEXT_LIMIT, field_class=TextAreaField)
    own_answer = text_field("", TEXT_LIMIT, field_class=TextAreaField)

    #: (measure, its field), in the order of the page.
    measure_fields: list

    def measure_answers(self) -> dict[int, Helped]:
        return {
            measure.id: Helped(field.data) for measure, field in self.measure_fields if field.data
        }


def _measure_field(measure: Measure, language: str) -> RadioField:
    return RadioField(
        _("Did the event help your work on “%(measure)s”?", measure=measure.title_in(language)),
        choices=[SelectChoice(h.value, h.label) for h in Helped],
        validators=[InputRequired(_l("Choose yes, partly or no."))],
        invalid_choice_message=_l("Choose yes, partly or no."),
    )


def feedback_form(measures: list[Measure], question: str | None, language: str) -> FeedbackForm:
    """The form for an event: a question per measure it serves, and the coordinator's own."""
    fields = {f"measure_{m.id}": _measure_field(m, language) for m in measures}
    form_class = type("EventFeedbackForm", (FeedbackForm,), fields)
    form = form_class()
    form.measure_fields = [(m, form[f"measure_{m.id}"]) for m in measures]
    if question:
        form.own_answer.label.text = question
    else:
        del form.own_answer
    return form


class FeedbackSettingForm(Form):
    """The coordinator's switch and own question, for an event or a series."""

    enabled = BooleanField(_l("Ask participants for feedback after the event"))
    question = text_field(
        _l("Your own question (optional)"),
        300,
        description=_l("Answered in free text, after the usual questions."),
    )
