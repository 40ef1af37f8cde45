"""Forms of the event pages in the back office: the event itself, cancelling, duplicating."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ..accounts.models import Role, User
from ..extensions import db
from ..forms import Form, labelled_choices, text_field
from ..local_time import local_to_utc, utc_to_local
from ..partners.models import Municipality, Organisation
from ..translated import EVENT_TRANSLATIONS
from .models import EventKind
from .operations import MAX_REPEAT, EventDetails

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
NOT_A_TIME = _l("Enter a date and time, e.g. 2027-01-15 09:00.")


def _time_field(label, *, required: bool, description=None) -> DateTimeLocalField:
    validators = [DataRequired(NOT_A_TIME)] if required else [Optional()]
    return DateTimeLocalField(
        label,
        format=[DATETIME_FORMAT, DATETIME_FORMAT + ":%S"],
        validators=validators,
        description=description,
    )


def _ids(value):
    return int(value)


class HttpUrl:
    """An absolute http(s) link: a meeting link people click must not be `javascript:`."""

    def __call__(self, form, field):
        if not field.data:
            return
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
            raise ValidationError(_l("Enter a full link starting with https://."))


class EventForm(Form):
    #: The fields in the page's order, where it differs from this class's (the error summary).
    PAGE_ORDER: tuple[str, ...] = ()

    kind = SelectField(
        _l("Kind of event"),
        [DataRequired(_l("Choose the kind of event."))],
        # No kind is chosen for the coordinator: a new event starts at "Choose".
        choices=labelled_choices(EventKind, empty=_l("Choose")),
        invalid_choice_message=_l("Choose a kind from the list."),
    )
    title = text_field(_l("Title"), 200, required=_l("Enter a title."))
    description = text_field(
        _l("Description"),
        10000,
        field_class=TextAreaField,
        description=_l("Plain text; separate paragraphs with an empty line."),
    )
    title_sv = text_field(_l("Title in Swedish"), 200, description=_l("Empty: the Finnish title."))
    description_sv = text_field(
        _l("Description in Swedish"),
        10000,
        field_class=TextAreaField,
        description=_l("Empty: the Finnish description."),
    )
    title_en = text_field(_l("Title in English"), 200, description=_l("Empty: the Finnish title."))
    description_en = text_field(
        _l("Description in English"),
        10000,
        field_class=TextAreaField,
        description=_l("Empty: the Finnish description."),
    )
    starts_at = _time_field(_l("Starts"), required=True, description=_l("Finnish time"))
    ends_at = _time_field(_l("Ends"), required=True, description=_l("Finnish time"))
    venue = text_field(
        _l("Place"),
        300,
        description=_l("Street address or room. Leave empty for an online-only event."),
    )
    online_url = text_field(
        _l("Online meeting link"),
        500,
        validators=[HttpUrl()],
        description=_l("Sent to registered participants."),
    )
    online_url_public = BooleanField(_l("Show the meeting link on the public page"))
    capacity = IntegerField(
        _l("Number of places"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100000, message=_l("Enter a number from 1 up.")),
        ],
        description=_l("Leave empty for no limit."),
    )
    registration_opens_at = _time_field(
        _l("Registration opens"), required=False, description=_l("Empty: when published.")
    )
    registration_closes_at = _time_field(
        _l("Registration closes"), required=False, description=_l("Empty: when the event starts.")
    )
    asks_for_needs = BooleanField(_l("Ask for accessibility or dietary needs"))
    municipalities = SelectMultipleField(_l("Municipalities"), coerce=_ids, validate_choice=True)
    organisations = SelectMultipleField(
        _l("Partner organisations"), coerce=_ids, validate_choice=True
    )
    coordinators = SelectMultipleField(
        _l("Coordinators who run the event"),
        coerce=_ids,
        validate_choice=True,
        description=_l("Empty: you."),
    )

    def __init__(self, *args, confirmed: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        #: People already confirmed: the capacity may not go below this.
        self.confirmed = confirmed
        self.municipalities.choices = [
            SelectChoice(m.id, m.name_fi)
            for m in db.session.scalars(sa.select(Municipality).order_by(Municipality.name_fi))
        ]
        self.organisations.choices = [
            SelectChoice(o.id, o.display_name)
            for o in db.session.scalars(
                sa.select(Organisation).order_by(Organisation.is_partner.desc(), Organisation.name)
            )
        ]
        self.coordinators.choices = [
            SelectChoice(u.id, u.name)
            for u in db.session.scalars(
                sa.select(User)
                .where(User.active.is_(True), User.role.in_([Role.COORDINATOR, Role.ADMIN]))
                .order_by(User.name)
            )
        ]
        for field in (self.municipalities, self.organisations, self.coordinators):
            field.invalid_choice_message = _l("Choose from the list.")  # type: ignore[attr-defined]

    @classmethod
    def for_editing(cls, event, **kwargs) -> EventForm:
        """The form as posted, or on GET filled from the event."""
        if request.method == "POST":
            return cls(**kwargs)
        return cls.for_event(event, **kwargs)

    @classmethod
    def for_event(cls, event, **kwargs) -> EventForm:
        """The form filled from an event (on GET), times shown on the local wall clock."""
        return cls(
            data={
                "kind": event.kind.value,
                "title": event.title,
                "description": event.description,
                **{name: getattr(event, name) for name in EVENT_TRANSLATIONS},
                "starts_at": utc_to_local(event.starts_at),
                "ends_at": utc_to_local(event.ends_at),
                "venue": event.venue,
                "online_url": event.online_url,
                "online_url_public": event.online_url_public,
                "capacity": event.capacity,
                "registration_opens_at": utc_to_local(event.registration_opens_at),
                "registration_closes_at": utc_to_local(event.registration_closes_at),
                "asks_for_needs": event.asks_for_needs,
                "municipalities": [m.id for m in event.municipalities],
                "organisations": [o.id for o in event.organisations],
                "coordinators": [u.id for u in event.coordinators],
            },
            **kwargs,
        )

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Both fields are optional on their own, so this check cannot sit in their chains.
        if not self.venue.data and not self.online_url.data and not self.online_url.errors:
            self.venue.errors = [
                *self.venue.errors,
                _l("Enter a place, an online meeting link, or both."),
            ]
            valid = False
        return valid

    def validate_capacity(self, field):
        if field.data is not None and field.data < self.confirmed:
            raise ValidationError(
                _l(
                    "%(num)d people are already confirmed: the number of places cannot be lower.",
                    num=self.confirmed,
                )
            )

    def validate_registration_closes_at(self, field):
        if field.data and self.ends_at.data and field.data > self.ends_at.data:
            raise ValidationError(_l("Registration must close before the event ends."))

    def validate_registration_opens_at(self, field):
        closes = self.registration_closes_at.data or self.starts_at.data
        if field.data and closes and field.data >= closes:
            raise ValidationError(
                _l("Registration must open before it closes (or before the event starts).")
            )

    def details(self, original=None) -> EventDetails:
        """What the form says; times the form showed unchanged keep the event's own value.

        The inputs show minutes only: an event created elsewhere with seconds would otherwise
        move by those seconds on every save, and a published one would get a new revision.
        """

        def moment(field_name: str):
            value = local_to_utc(getattr(self, field_name).data)
            kept = getattr(original, field_name, None) if original is not None else None
            if (
                value is not None
                and kept is not None
                and kept.replace(second=0, microsecond=0) == value
            ):
                return kept
            return value

        def rows(model, ids):
            if not ids:
                return []
            return list(db.session.scalars(sa.select(model).where(model.id.in_(ids))))

        return EventDetails(
            kind=EventKind(self.kind.data),
            title=self.title.data,
            description=self.description.data or "",
            **{name: getattr(self, name).data or None for name in EVENT_TRANSLATIONS},
            starts_at=moment("starts_at"),
            ends_at=moment("ends_at"),
            venue=self.venue.data or None,
            online_url=self.online_url.data or None,
            online_url_public=bool(self.online_url_public.data and self.online_url.data),
            capacity=self.capacity.data,
            registration_opens_at=moment("registration_opens_at"),
            registration_closes_at=moment("registration_closes_at"),
            asks_for_needs=self.asks_for_needs.data,
            municipalities=rows(Municipality, self.municipalities.data),
            organisations=rows(Organisation, self.organisations.data),
            coordinators=rows(User, self.coordinators.data),
        )


class CancelForm(Form):
    reason = text_field(
        _l("Reason for cancelling"),
        2000,
        required=_l("Tell participants why the event is cancelled."),
        field_class=TextAreaField,
        description=_l("Shown on the event's public page."),
    )


class DuplicateForm(Form):
    every_weeks = IntegerField(
        _l("Repeat every ... weeks"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=52, message=_l("Enter a number from 0 to 52.")),
        ],
        description=_l("0: one copy at the same time, to be edited."),
    )
    times = IntegerField(
        _l("Number of copies"),
        default=1,
        validators=[
            DataRequired(_l("Enter how many copies to make.")),
            NumberRange(
                min=1,
                max=MAX_REPEAT,
                message=_l("Enter a number from 1 to %(max)d.", max=MAX_REPEAT),
            ),
        ],
    )
    publish = BooleanField(_l("Publish the copies at once"))

    def repeats(self) -> bool:
        """Several copies some weeks apart: the dates of a series, not unrelated copies."""
        return bool(self.every_weeks.data) and (self.times.data or 0) > 1

    def validate_times(self, field):
        if field.data and field.data > 1 and not self.every_weeks.data:
            raise ValidationError(_l("To make several copies, repeat them every 1 or more weeks."))
