"""A person's place at an event."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.constraints import not_empty, unique_where
from ..db.labels import LabelledEnum
from ..db.types import CreatedAt, EmailAddress, IntPK, Name, UpdatedAt, enum_column
from ..extensions import db
from ..partners.models import Municipality, Organisation, OrganisationCategory


class RegistrationStatus(LabelledEnum):
    CONFIRMED = "confirmed", _l("Confirmed")
    WAITLISTED = "waitlisted", _l("On the waiting list")
    CANCELLED = "cancelled", lazy_pgettext("registration", "Cancelled")


class Language(LabelledEnum):
    """Languages people get their emails and pages in."""

    # Each language is named in itself, as language pickers do: no translation.
    FI = "fi", "suomi"
    SV = "sv", "svenska"
    EN = "en", "English"


class Registration(db.Model):
    __tablename__ = "registrations"

    id: Mapped[IntPK]
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[Name]
    #: Normalised to lower case, so one person cannot hold two places by changing case.
    email: Mapped[EmailAddress] = mapped_column(index=True)
    #: One of the known organisations ...
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    #: ... or, when it is not on the list, its name as typed.
    organisation_other: Mapped[Name | None]
    #: Where the person works; None for region-wide organisations.
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="RESTRICT")
    )
    job_title: Mapped[Name | None]
    #: Accessibility or dietary needs; asked only when the event asks.
    needs: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[Language] = mapped_column(enum_column(Language, "language"))
    #: When the person accepted the privacy notice; a registration cannot exist without it.
    consent_at: Mapped[datetime]
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]
    cancelled_at: Mapped[datetime | None]
    #: When the person moved from the waiting list to a confirmed place.
    promoted_at: Mapped[datetime | None]
    #: Attendance as the coordinator marked it after the event: None until marked.
    attended: Mapped[bool | None]
    #: When the person's data was erased; the row stays, anonymised, for the counts.
    erased_at: Mapped[datetime | None]
    #: Taken by registering once for every upcoming date of a series (no dates picked): the
    #: person then also gets a place at each date later added at its end (series.followers).
    whole_series: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: What every invitation to this person adds to the event's SEQUENCE: raised by each change
    #: of their own places, so that their CANCEL outranks the invitation it withdraws and a
    #: later invitation outranks the CANCEL, with nobody else's calendar touched
    #: (registrations.calendar_copy).
    sequence_offset: Mapped[int] = mapped_column(default=0, server_default="0")

    event = relationship("Event", back_populates="registrations")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    municipality: Mapped[Municipality | None] = relationship(lazy="joined")

    __table_args__ = (
        # One active place per person per event; cancelled ones stay for the history.
        unique_where(
            "uq_registrations_active_email", "event_id", "email", where="status <> 'cancelled'"
        ),
        sa.Index("ix_registrations_event_status", "event_id", "status", "created_at"),
        sa.CheckConstraint(
            "organisation_id IS NOT NULL OR organisation_other IS NOT NULL",
            name="has_organisation",
        ),
        not_empty("name"),
        sa.CheckConstraint("email LIKE '%_@_%'", name="email_has_at"),
        sa.CheckConstraint(
            "(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_has_time"
        ),
    )

    @property
    def organisation_name(self) -> str:
        return (
            self.organisation.display_name if self.organisation else (self.organisation_other or "")
        )

    @property
    def organisation_category(self) -> OrganisationCategory:
        """Organisations typed by hand have no category: they count as "other"."""
        return self.organisation.category if self.organisation else OrganisationCategory.OTHER

    def __repr__(self) -> str:
        return f"<Registration {self.id} event={self.event_id} {self.status.value}>"


class LinkRequest(db.Model):
    """Someone asked at /r/ for the self-service links of an address; the mail worker answers
    (see registrations.link_requests) and deletes the row, seconds later."""

    __tablename__ = "link_requests"

    id: Mapped[IntPK]
    #: As typed (normalised), known or not: held only until answered, erased with the person.
    email: Mapped[EmailAddress]
    requested_at: Mapped[CreatedAt]
