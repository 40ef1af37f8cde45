"""The joint implementation plan as data, and the municipal HYTU plan statuses.

Event outcomes (hytu_events.outcomes.models) point here: figures and status changes name the
outcome that produced them by its table only, so the plan never imports the packages above it.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db.constraints import not_empty, unique_where
from ..db.labels import LabelledEnum
from ..db.tables import LinkKey, link_table
from ..db.types import CreatedAt, IntPK, Name, enum_column
from ..extensions import db
from ..partners.models import ORGANISATION_KEY, Municipality, Organisation
from ..translated import in_language


class FocusAreaKind(LabelledEnum):
    WELFARE_FOCUS_AREA = "welfare_focus_area", _l("Welfare programme focus area")
    SAFETY_THEME = "safety_theme", _l("Safety plan theme")


class IndicatorDirection(LabelledEnum):
    HIGHER_IS_BETTER = "higher_is_better", _l("Higher is better")
    LOWER_IS_BETTER = "lower_is_better", _l("Lower is better")


class MunicipalPlanStatus(LabelledEnum):
    """Where a municipality's combined welfare-and-safety (HYTU) plan stands."""

    NOT_STARTED = "not_started", _l("Not started")
    IN_PREPARATION = "in_preparation", _l("In preparation")
    DRAFT_READY = "draft_ready", _l("Draft ready")
    APPROVED = "approved", _l("Approved by the council")


class Plan(db.Model):
    """A plan the network implements (the joint implementation plan 2020-2025)."""

    __tablename__ = "plans"

    id: Mapped[IntPK]
    name: Mapped[Name] = mapped_column(unique=True)
    start_year: Mapped[int]
    end_year: Mapped[int]

    focus_areas: Mapped[list[FocusArea]] = relationship(
        back_populates="plan", order_by="FocusArea.position"
    )

    __table_args__ = (
        sa.CheckConstraint("end_year >= start_year", name="period_ordered"),
        not_empty("name"),
    )


class FocusArea(db.Model):
    """A focus area of the welfare programme or a theme of the safety plan."""

    __tablename__ = "focus_areas"

    id: Mapped[IntPK]
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"))
    kind: Mapped[FocusAreaKind] = mapped_column(enum_column(FocusAreaKind, "focus_area_kind"))
    #: Short key such as `W1` or `S3`, unique within the plan.
    code: Mapped[str] = mapped_column(sa.String(20))
    name_fi: Mapped[Name]
    name_sv: Mapped[Name]
    name_en: Mapped[Name]
    #: Order within its kind, as in the plan document.
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="focus_areas")

    __table_args__ = (sa.UniqueConstraint("plan_id", "code"),)

    name_in = in_language("name_fi", sv="name_sv", en="name_en")


#: The measure's key in the tables linking it to other rows: a link goes with its measure.
MEASURE_KEY = LinkKey("measure_id", "measures", "CASCADE")

measure_focus_areas = link_table(
    "measure_focus_areas", MEASURE_KEY, LinkKey("focus_area_id", "focus_areas", "CASCADE")
)

measure_organisations = link_table("measure_organisations", MEASURE_KEY, ORGANISATION_KEY)

measure_indicators = link_table(
    "measure_indicators", MEASURE_KEY, LinkKey("indicator_id", "indicators", "CASCADE")
)

#: Which measures an event serves.
event_measures = link_table(
    "event_measures",
    LinkKey("event_id", "events", "CASCADE"),
    LinkKey("measure_id", "measures", "RESTRICT"),
    sa.Index("ix_event_measures_measure", "measure_id"),
)


class Measure(db.Model):
    """A measure (toimenpide) of the plan; events serve measures, indicators follow them."""

    __tablename__ = "measures"

    id: Mapped[IntPK]
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="RESTRICT"))
    #: Stable key used in files, URLs (`?measure=T1`) and reports.
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    #: In Finnish, the plan's language; the Swedish and English titles are optional.
    title: Mapped[str] = mapped_column(sa.String(300))
    title_sv: Mapped[str | None] = mapped_column(sa.String(300))
    title_en: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    start_year: Mapped[int]
    end_year: Mapped[int]
    #: The target in words ("all 21 municipalities have a combined HYTU plan").
    target_text: Mapped[str | None] = mapped_column(sa.Text)
    #: The same target as a number, when it is one (21).
    target_number: Mapped[float | None] = mapped_column(sa.Float)

    plan: Mapped[Plan] = relationship()
    focus_areas: Mapped[list[FocusArea]] = relationship(
        secondary=measure_focus_areas, order_by=FocusArea.code, lazy="selectin"
    )
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=measure_organisations, order_by=Organisation.name, lazy="selectin"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        secondary=measure_indicators, order_by="Indicator.code", lazy="selectin"
    )

    __table_args__ = (
        sa.CheckConstraint("end_year >= start_year", name="period_ordered"),
        not_empty("code"),
        not_empty("title"),
    )

    title_in = in_language("title", sv="title_sv", en="title_en")

    def __repr__(self) -> str:
        return f"<Measure {self.code}>"


class Indicator(db.Model):
    """Something measured to follow the plan (mostly Sotkanet statistics)."""

    __tablename__ = "indicators"

    id: Mapped[IntPK]
    #: Stable key used in import files (`traffic-injuries`).
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    #: Name and unit in Finnish; the Swedish and English ones are optional.
    name: Mapped[str] = mapped_column(sa.String(300))
    name_sv: Mapped[str | None] = mapped_column(sa.String(300))
    name_en: Mapped[str | None] = mapped_column(sa.String(300))
    unit: Mapped[str] = mapped_column(sa.String(80))
    unit_sv: Mapped[str | None] = mapped_column(sa.String(80))
    unit_en: Mapped[str | None] = mapped_column(sa.String(80))
    #: Where the figures come from, e.g. "Sotkanet 3113" or "HYTU network".
    source: Mapped[str] = mapped_column(sa.String(120))
    direction: Mapped[IndicatorDirection] = mapped_column(
        enum_column(IndicatorDirection, "indicator_direction")
    )
    #: The value the plan aims at (for the whole region); None when the plan names none.
    target_value: Mapped[float | None] = mapped_column(sa.Float)

    __table_args__ = (not_empty("code"),)

    name_in = in_language("name", sv="name_sv", en="name_en")
    unit_in = in_language("unit", sv="unit_sv", en="unit_en")

    def __repr__(self) -> str:
        return f"<Indicator {self.code}>"


class IndicatorValue(db.Model):
    """One figure of an indicator, for a municipality or (municipality None) the whole region."""

    __tablename__ = "indicator_values"

    id: Mapped[IntPK]
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"))
    #: None means the whole of Lapland.
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="RESTRICT")
    )
    year: Mapped[int]
    value: Mapped[float] = mapped_column(sa.Float)
    #: The event outcome that produced this figure, if one did.
    outcome_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outcomes.id", ondelete="SET NULL"), index=True
    )

    indicator: Mapped[Indicator] = relationship(lazy="joined")
    municipality: Mapped[Municipality | None] = relationship(lazy="joined")

    __table_args__ = (
        # NULL never equals NULL in a unique constraint, so the region-wide row needs its own.
        unique_where(
            "uq_indicator_values_municipality",
            "indicator_id",
            "municipality_id",
            "year",
            where="municipality_id IS NOT NULL",
        ),
        unique_where(
            "uq_indicator_values_region", "indicator_id", "year", where="municipality_id IS NULL"
        ),
        sa.CheckConstraint("year BETWEEN 1900 AND 2200", name="year_plausible"),
    )


class MunicipalPlanStatusChange(db.Model):
    """One step in a municipality's HYTU plan history; the latest is the current status."""

    __tablename__ = "municipal_plan_status_changes"

    id: Mapped[IntPK]
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="CASCADE")
    )
    status: Mapped[MunicipalPlanStatus] = mapped_column(
        enum_column(MunicipalPlanStatus, "municipal_plan_status")
    )
    #: When the status changed (a council decision's date, the event's day).
    changed_on: Mapped[date] = mapped_column(sa.Date)
    #: The event outcome that moved it ...
    outcome_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outcomes.id", ondelete="SET NULL")
    )
    #: ... or another source in words ("Council decision 12.3.2024 § 15").
    source_text: Mapped[str | None] = mapped_column(sa.String(300))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[CreatedAt]

    municipality: Mapped[Municipality] = relationship(lazy="joined")

    __table_args__ = (
        sa.Index("ix_plan_status_changes_municipality", "municipality_id", "changed_on", "id"),
        sa.CheckConstraint("outcome_id IS NOT NULL OR source_text IS NOT NULL", name="has_source"),
    )
