"""The event: what happens, when, where, and whether people can still register."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.constraints import not_empty
from ..db.labels import LabelledEnum
from ..db.tables import LinkKey, link_table
from ..db.types import CreatedAt, IntPK, UpdatedAt, enum_column, utcnow
from ..extensions import db
from ..partners.models import MUNICIPALITY_KEY, ORGANISATION_KEY, Municipality, Organisation
from ..translated import EVENT_TEXTS, in_language


class EventKind(LabelledEnum):
    HYTU_CLINIC = "hytu_clinic", _l("HYTU clinic")
    MUNICIPAL_WORKSHOP = "municipal_workshop", _l("Municipal workshop")
    VIRTUAL_COFFEE = "virtual_coffee", _l("Virtual coffee")
    OTHER = "other", _l("Other event")


class EventStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    CANCELLED = "cancelled", _l("Cancelled")


class RegistrationState(enum.Enum):
    """Whether the public form is offered, and if not, why (shown to the visitor)."""

    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    ENDED = "ended"
    CANCELLED = "cancelled"
    DRAFT = "draft"


def _new_calendar_uid() -> str:
    return f"{uuid.uuid4()}@hytu-events"


#: The event's key in the tables linking it to other rows: a link goes with its event.
EVENT_KEY = LinkKey("event_id", "events", "CASCADE")

event_municipalities = link_table("event_municipalities", EVENT_KEY, MUNICIPALITY_KEY)

#: Partner organisations behind an event (shown to coordinators, used in reports).
event_organisations = link_table("event_organisations", EVENT_KEY, ORGANISATION_KEY)

#: Back-office users who run an event; their personal calendar feed lists these events.
event_coordinators = link_table(
    "event_coordinators",
    EVENT_KEY,
    LinkKey("user_id", "users", "CASCADE"),
    # A coordinator's feed looks events up by user.
    sa.Index("ix_event_coordinators_user_id", "user_id"),
)


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[IntPK]
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Plain text; paragraphs separated by blank lines.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Optional Swedish and English texts; empty: readers of those languages see the Finnish
    #: one, marked as Finnish (hytu_events.translated).
    title_sv: Mapped[str | None] = mapped_column(sa.String(200))
    title_en: Mapped[str | None] = mapped_column(sa.String(200))
    description_sv: Mapped[str | None] = mapped_column(sa.Text)
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    #: Indexed: every feed request picks events by the end of their time window.
    ends_at: Mapped[datetime] = mapped_column(index=True)
    #: Street address or room; empty for online-only events.
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    #: Teams/Zoom link; sent to registered participants, shown publicly only if allowed below.
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    #: Open sessions (virtual coffees) may publish the link; clinics keep it for participants.
    online_url_public: Mapped[bool] = mapped_column(default=False)
    #: None means no limit.
    capacity: Mapped[int | None]
    #: None means open as soon as published.
    registration_opens_at: Mapped[datetime | None]
    #: None means open until the event starts.
    registration_closes_at: Mapped[datetime | None]
    #: When a seat frees up, give it to the first on the waiting list without asking.
    auto_promote: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Whether the form asks for accessibility or dietary needs.
    asks_for_needs: Mapped[bool] = mapped_column(default=False)
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, "event_status"), default=EventStatus.DRAFT, index=True
    )
    #: Shown publicly when the event is cancelled.
    cancellation_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: Stable iCalendar UID: invitations and feeds refer to the same event forever.
    calendar_uid: Mapped[str] = mapped_column(
        sa.String(120), unique=True, default=_new_calendar_uid
    )
    #: iCalendar SEQUENCE: raised whenever time, place or status changes after publishing.
    revision: Mapped[int] = mapped_column(default=0)
    #: The series this event is a date of (hytu_events.series), if any.
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("series.id", ondelete="RESTRICT"), index=True
    )
    #: For a date of a series: the start its rule gave it (its RECURRENCE-ID), kept when the
    #: date is moved, so calendars know which date the change is about.
    recurrence_id: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]
    #: Indexed: a feed's Last-Modified reads the latest change of any event.
    updated_at: Mapped[UpdatedAt] = mapped_column(index=True)

    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=event_municipalities, order_by=Municipality.name_fi, lazy="selectin"
    )
    # Loaded only when read (back-office pages): registering never pays for them.
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=event_organisations, order_by=Organisation.name
    )
    coordinators = relationship("User", secondary=event_coordinators, order_by="User.name")
    registrations = relationship(
        "Registration", back_populates="event", lazy="dynamic", passive_deletes=True
    )
    series = relationship("Series", back_populates="dates")

    __table_args__ = (
        # A feed's validator reads the latest and the next end per status (the window's edges:
        # hytu_events.calendar.public_feeds): one step down this index each.
        sa.Index("ix_events_status_ends_at", "status", "ends_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("revision >= 0", name="revision_not_negative"),
        not_empty("title"),
        sa.CheckConstraint(
            "registration_opens_at IS NULL OR registration_closes_at IS NULL"
            " OR registration_opens_at < registration_closes_at",
            name="registration_window_ordered",
        ),
        sa.CheckConstraint(
            "registration_closes_at IS NULL OR registration_closes_at <= ends_at",
            name="registration_closes_before_end",
        ),
        sa.CheckConstraint(
            "status <> 'cancelled' OR cancellation_reason IS NOT NULL",
            name="cancellation_has_reason",
        ),
        sa.CheckConstraint(
            "(series_id IS NULL) = (recurrence_id IS NULL)", name="series_date_has_recurrence_id"
        ),
        sa.UniqueConstraint("series_id", "recurrence_id", name="uq_events_series_recurrence_id"),
    )

    title_in = in_language("title", **EVENT_TEXTS["title"])
    description_in = in_language("description", **EVENT_TEXTS["description"])

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def registration_closes(self) -> datetime:
        return self.registration_closes_at or self.starts_at

    def registration_state(self, now: datetime | None = None) -> RegistrationState:
        now = now or utcnow()
        if self.status is EventStatus.DRAFT:
            return RegistrationState.DRAFT
        if self.status is EventStatus.CANCELLED:
            return RegistrationState.CANCELLED
        if now >= self.ends_at:
            return RegistrationState.ENDED
        if self.registration_opens_at and now < self.registration_opens_at:
            return RegistrationState.NOT_YET_OPEN
        if now >= self.registration_closes:
            return RegistrationState.CLOSED
        return RegistrationState.OPEN

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"
