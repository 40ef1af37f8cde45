"""A person's place at an event."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.labels import LabelledEnum
from ..db.types import UTCDateTime, enum_column, utcnow
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

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Normalised to lower case, so one person cannot hold two places by changing case.
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    #: One of the known organisations ...
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    #: ... or, when it is not on the list, its name as typed.
    organisation_other: Mapped[str | None] = mapped_column(sa.String(200))
    #: Where the person works; None for region-wide organisations.
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="RESTRICT")
    )
    job_title: Mapped[str | None] = mapped_column(sa.String(200))
    #: Accessibility or dietary needs; asked only when the event asks.
    needs: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[Language] = mapped_column(enum_column(Language, "language"))
    #: When the person accepted the privacy notice; a registration cannot exist without it.
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the person moved from the waiting list to a confirmed place.
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Attendance as the coordinator marked it after the event: None until marked.
    attended: Mapped[bool | None]
    #: When the person's data was erased; the row stays, anonymised, for the counts.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event = relationship("Event", back_populates="registrations")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    municipality: Mapped[Municipality | None] = relationship(lazy="joined")

    __table_args__ = (
        # One active place per person per event; cancelled ones stay for the history.
        sa.Index(
            "uq_registrations_active_email",
            "event_id",
            "email",
            unique=True,
            sqlite_where=sa.text("status <> 'cancelled'"),
            postgresql_where=sa.text("status <> 'cancelled'"),
        ),
        sa.Index("ix_registrations_event_status", "event_id", "status", "created_at"),
        sa.CheckConstraint(
            "organisation_id IS NOT NULL OR organisation_other IS NOT NULL",
            name="has_organisation",
        ),
        sa.CheckConstraint("name <> ''", name="name_not_empty"),
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

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As typed (normalised), known or not: held only until answered, erased with the person.
    email: Mapped[str] = mapped_column(sa.String(254))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
