"""Forms for a coordinator working on an event's participants."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from ..forms import Form, email_field
from .forms import ParticipantForm


class AddParticipantForm(ParticipantForm):
    """Someone registered by a coordinator (by phone, say): as the public form, no consent box
    (the coordinator informs the person) and an explicit way past the capacity."""

    email = email_field(description=_l("The invitation and the link to manage it are sent here."))
    over_capacity = BooleanField(
        _l("Give a confirmed place even if the event is full"),
        description=_l("Otherwise a full event puts the person on the waiting list."),
    )


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token, plus an optional confirmation."""

    over_capacity = BooleanField(_l("Confirm even though the event is full"))
