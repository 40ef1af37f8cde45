"""A series: events that recur by one rule (a virtual coffee every other Thursday at 9:00).

Each date of a series is an ordinary Event (capacity, waiting list, registration, attendance,
outcomes and feeds work per date) linked to its series and to the start the rule gave it
(`Event.recurrence_id`, which stays when the date is moved). The series keeps the rule and what
its dates share in a calendar (title, description, place, length): a date that differs from it
is an exception, which calendars receive as a RECURRENCE-ID override.
"""

from __future__ import annotations

import uuid
from datetime import date, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.constraints import not_empty
from ..db.labels import LabelledEnum
from ..db.types import CreatedAt, IntPK, UpdatedAt, enum_column
from ..events.models import Event
from ..extensions import db
from ..translated import EVENT_TEXTS, in_language


class Frequency(LabelledEnum):
    WEEKLY = "weekly", _l("Weekly")
    MONTHLY = "monthly", _l("Monthly")


def _new_calendar_uid() -> str:
    return f"series-{uuid.uuid4()}@hytu-events"


class Series(db.Model):
    __tablename__ = "series"

    id: Mapped[IntPK]
    #: The UID of the series' one VEVENT (with its RRULE) in every calendar; its dates share it
    #: and are told apart by RECURRENCE-ID.
    calendar_uid: Mapped[str] = mapped_column(
        sa.String(120), unique=True, default=_new_calendar_uid
    )
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "series_frequency"))
    #: Every `every` weeks or months: 2 is "every other week".
    every: Mapped[int] = mapped_column(default=1)
    #: RFC 5545 weekday codes, comma-separated ("TH", "MO,WE"); a monthly series has one.
    weekdays: Mapped[str] = mapped_column(sa.String(20))
    #: Monthly only: the 1st to 4th such weekday of the month, or -1 for the last one.
    week_of_month: Mapped[int | None]
    #: The first date and its start, in the network's wall time (HYTU_TIMEZONE): 9:00 stays
    #: 9:00 across the change to summer time.
    first_date: Mapped[date]
    start_time: Mapped[time]
    minutes: Mapped[int]
    #: The last day a date may fall on (wall time), or how many dates there are: one of the two.
    ends_on: Mapped[date | None]
    number_of_dates: Mapped[int | None]
    #: What the dates share in a calendar; a date that differs is an exception.
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Optional Swedish and English texts, as an event's; the dates carry them.
    title_sv: Mapped[str | None] = mapped_column(sa.String(200))
    title_en: Mapped[str | None] = mapped_column(sa.String(200))
    description_sv: Mapped[str | None] = mapped_column(sa.Text)
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    #: The SEQUENCE of the series' VEVENT: raised when the rule or what the dates share changes.
    revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[UpdatedAt]

    #: Every date, in the rule's order.
    dates: Mapped[list[Event]] = relationship(back_populates="series", order_by=Event.recurrence_id)

    __table_args__ = (
        sa.CheckConstraint("every >= 1", name="every_positive"),
        sa.CheckConstraint("minutes > 0", name="minutes_positive"),
        sa.CheckConstraint(
            "(ends_on IS NULL) <> (number_of_dates IS NULL)", name="ends_on_or_number_of_dates"
        ),
        sa.CheckConstraint(
            "number_of_dates IS NULL OR number_of_dates >= 1",
            name="number_of_dates_positive",
        ),
        sa.CheckConstraint(
            "week_of_month IS NULL OR week_of_month IN (-1, 1, 2, 3, 4)",
            name="week_of_month_known",
        ),
        sa.CheckConstraint("revision >= 0", name="revision_not_negative"),
        not_empty("weekdays"),
        not_empty("title"),
    )

    title_in = in_language("title", **EVENT_TEXTS["title"])
    description_in = in_language("description", **EVENT_TEXTS["description"])

    @property
    def weekday_codes(self) -> tuple[str, ...]:
        return tuple(self.weekdays.split(","))

    def __repr__(self) -> str:
        return f"<Series {self.id} {self.title!r}>"
