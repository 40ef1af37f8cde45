"""The coordinator's message form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..forms import Form
from .notify import Audience


class CoordinatorMessageForm(Form):
    audience = RadioField(
        _l("Recipients"),
        choices=[
            SelectChoice(Audience.CONFIRMED.value, _l("Everyone with a confirmed place")),
            SelectChoice(Audience.WAITLISTED.value, _l("Everyone on the waiting list")),
        ],
        default=Audience.CONFIRMED.value,
        validators=[DataRequired(_l("Choose who gets the message."))],
    )
    subject = StringField(
        _l("Subject"),
        validators=[
            DataRequired(_l("Write a subject.")),
            Length(max=200, message=_l("The subject can be at most %(max)d characters.")),
        ],
    )
    body = TextAreaField(
        _l("Message"),
        description=_l(
            "Plain text; a blank line starts a new paragraph. Each recipient also gets the "
            "event's time and place and their own links, in their language."
        ),
        validators=[
            DataRequired(_l("Write the message.")),
            Length(max=10000, message=_l("The message can be at most %(max)d characters.")),
        ],
    )

    def message(self) -> tuple[Audience, str, str]:
        """Who gets it, the subject and the body, as the send operations take them."""
        return Audience(self.audience.data), self.subject.data.strip(), self.body.data
