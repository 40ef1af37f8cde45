"""What came out of an event: its outcome, the measures it advanced and the follow-ups agreed.

The tables are those the plan package created (no migration moved them); the plan's figures
and status changes point at `outcomes.id` by name.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.constraints import not_empty
from ..db.labels import LabelledEnum
from ..db.types import IntPK, enum_column, utcnow
from ..extensions import db
from ..plan.models import IndicatorValue, Measure


class FollowUpStatus(LabelledEnum):
    OPEN = "open", _l("Open")
    DONE = "done", _l("Done")


class Outcome(db.Model):
    """What came out of an event: recorded by a coordinator afterwards, one per event."""

    __tablename__ = "outcomes"

    id: Mapped[IntPK]
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    #: Agreements made at the event, in plain text.
    agreements: Mapped[str] = mapped_column(sa.Text, default="")
    #: Head count for events without registration (open virtual coffees); None = count the
    #: participants marked as attended.
    manual_attendance: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: When it was last recorded (hytu_events.outcomes.outcomes sets it on every save).
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    event = relationship("Event")
    measures: Mapped[list[OutcomeMeasure]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", lazy="selectin"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="outcome",
        cascade="all, delete-orphan",
        order_by="FollowUp.id",
        lazy="selectin",
    )
    indicator_values: Mapped[list[IndicatorValue]] = relationship(
        order_by=IndicatorValue.id, lazy="selectin"
    )

    __table_args__ = (
        sa.CheckConstraint(
            "manual_attendance IS NULL OR manual_attendance >= 0", name="attendance_not_negative"
        ),
    )


class OutcomeMeasure(db.Model):
    """A measure an event advanced, with a note on how."""

    __tablename__ = "outcome_measures"

    outcome_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True
    )
    measure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measures.id", ondelete="RESTRICT"), primary_key=True
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")

    outcome: Mapped[Outcome] = relationship(back_populates="measures")
    measure: Mapped[Measure] = relationship(lazy="joined")


class FollowUp(db.Model):
    """A follow-up action agreed at an event."""

    __tablename__ = "follow_ups"

    id: Mapped[IntPK]
    outcome_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outcomes.id", ondelete="CASCADE"), index=True
    )
    what: Mapped[str] = mapped_column(sa.Text)
    #: Who is responsible: a role or an organisation rather than a person's name, if possible.
    who: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[FollowUpStatus] = mapped_column(
        enum_column(FollowUpStatus, "follow_up_status"), default=FollowUpStatus.OPEN
    )

    outcome: Mapped[Outcome] = relationship(back_populates="follow_ups")

    __table_args__ = (not_empty("what"),)
