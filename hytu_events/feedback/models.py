"""Feedback after an event: who was asked, and what came back, kept apart.

A request belongs to a registration (so nobody is asked twice); an answer belongs only to the
event, with the respondent's municipality and organisation category copied at answer time.
Nothing links an answer to the request it came from: coordinators read answers, never whose.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.labels import LabelledEnum
from ..db.types import IntPK, enum_column
from ..extensions import db
from ..partners.models import Municipality, OrganisationCategory
from ..plan.models import Measure


class Helped(LabelledEnum):
    """Did the event help the respondent's work on a measure?"""

    YES = "yes", _l("Yes")
    PARTLY = "partly", _l("Partly")
    NO = "no", _l("No")


class FeedbackSetting(db.Model):
    """A coordinator's choice for one event or for one series (all its dates): feedback on or
    off, and one question of their own. No row: feedback is on, with no own question."""

    __tablename__ = "feedback_settings"

    id: Mapped[IntPK]
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("series.id", ondelete="CASCADE"), unique=True
    )
    #: False: nobody at the event (or any date of the series) is asked.
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: The coordinator's own question, answered in free text; None: none.
    question: Mapped[str | None] = mapped_column(sa.String(300))

    __table_args__ = (
        sa.CheckConstraint(
            "(event_id IS NULL) <> (series_id IS NULL)", name="for_an_event_or_a_series"
        ),
    )


class FeedbackRequest(db.Model):
    """One person asked once: the unique registration makes a second request impossible, also
    when two workers ask at the same moment. Answered or not is all it tells."""

    __tablename__ = "feedback_requests"

    id: Mapped[IntPK]
    #: Unique: one request per place. NULL once the person is erased: the count of those
    #: asked stays, and nothing points at them any more.
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), unique=True
    )
    #: Indexed: the outcome page counts those asked per event.
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: No time of answering: with one, an answer's row could be matched to its request.
    answered: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class FeedbackAnswer(db.Model):
    """One anonymous answer: the event, where the respondent works, and what they said."""

    __tablename__ = "feedback_answers"

    id: Mapped[IntPK]
    #: Indexed: every result is read per event.
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: Copied from the registration when answering (None: a region-wide organisation).
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="SET NULL")
    )
    organisation_category: Mapped[OrganisationCategory] = mapped_column(
        enum_column(OrganisationCategory, "feedback_organisation_category")
    )
    #: Overall usefulness, 1 (not at all) to 5 (very).
    usefulness: Mapped[int]
    #: What the respondent takes forward in their municipality or organisation.
    take_forward: Mapped[str] = mapped_column(sa.Text, default="")
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    #: The coordinator's question as it was asked, and its answer ("" when none was asked).
    own_question: Mapped[str] = mapped_column(sa.String(300), default="")
    own_answer: Mapped[str] = mapped_column(sa.Text, default="")

    municipality: Mapped[Municipality | None] = relationship(lazy="joined")
    measures: Mapped[list[FeedbackMeasureAnswer]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        sa.CheckConstraint("usefulness BETWEEN 1 AND 5", name="usefulness_from_1_to_5"),
    )


class FeedbackMeasureAnswer(db.Model):
    """Whether the event helped the respondent's work on one of the measures it serves."""

    __tablename__ = "feedback_measure_answers"

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_answers.id", ondelete="CASCADE"), primary_key=True
    )
    measure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True
    )
    helped: Mapped[Helped] = mapped_column(enum_column(Helped, "feedback_helped"))

    answer: Mapped[FeedbackAnswer] = relationship(back_populates="measures")
    measure: Mapped[Measure] = relationship(lazy="joined")
