"""The joint implementation plan as seed data (`seed.toml` beside this module), and the
tracker's starting point. Seeding adds what is missing and never overwrites a coordinator's
edits; translations added to the file later reach databases seeded before."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..partners.models import Municipality, Organisation
from .models import (
    FocusArea,
    FocusAreaKind,
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Measure,
    MunicipalPlanStatus,
    MunicipalPlanStatusChange,
    Plan,
)

#: The columns of an indicator that the file may fill in later for databases seeded before.
TRANSLATED_INDICATOR_FIELDS = ("name_sv", "name_en", "unit_sv", "unit_en")


@cache
def seed_data() -> dict[str, Any]:
    with resources.files(__package__).joinpath("seed.toml").open("rb") as file:
        return tomllib.load(file)


def _plan() -> tuple[Plan, int]:
    data = seed_data()["plan"]
    plan = db.session.scalar(sa.select(Plan).where(Plan.name == data["name"]))
    if plan is not None:
        return plan, 0
    plan = Plan(**data)
    db.session.add(plan)
    db.session.flush()
    return plan, 1


def _focus_areas(plan: Plan) -> tuple[dict[str, FocusArea], int]:
    areas = {
        a.code: a for a in db.session.scalars(sa.select(FocusArea).where(FocusArea.plan == plan))
    }
    added = 0
    for position, row in enumerate(seed_data()["focus_areas"]):
        if row["code"] not in areas:
            area = FocusArea(
                plan=plan, position=position, **{**row, "kind": FocusAreaKind(row["kind"])}
            )
            areas[row["code"]] = area
            db.session.add(area)
            added += 1
    return areas, added


def _indicators() -> tuple[dict[str, Indicator], int]:
    indicators = {i.code: i for i in db.session.scalars(sa.select(Indicator))}
    added = 0
    for row in seed_data()["indicators"]:
        if (indicator := indicators.get(row["code"])) is not None:
            # A coordinator's own texts stay; only what is still empty is filled.
            for field in TRANSLATED_INDICATOR_FIELDS:
                setattr(indicator, field, getattr(indicator, field) or row[field])
            continue
        direction = IndicatorDirection(row["direction"])
        indicators[row["code"]] = Indicator(**{**row, "direction": direction})
        db.session.add(indicators[row["code"]])
        added += 1
    return indicators, added


def _measures(plan: Plan, areas: dict[str, FocusArea], indicators: dict[str, Indicator]) -> int:
    organisations = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
    existing = {m.code: m for m in db.session.scalars(sa.select(Measure))}
    added = 0
    for row in seed_data()["measures"]:
        if (measure := existing.get(row["code"])) is not None:
            measure.title_sv = measure.title_sv or row["title_sv"]
            measure.title_en = measure.title_en or row["title_en"]
            continue
        links = {
            "focus_areas": [areas[code] for code in row["focus_areas"]],
            "organisations": [organisations[s] for s in row["organisations"] if s in organisations],
            "indicators": [indicators[code] for code in row["indicators"]],
        }
        db.session.add(
            Measure(
                plan=plan, start_year=plan.start_year, end_year=plan.end_year, **{**row, **links}
            )
        )
        added += 1
    return added


def seed_plan() -> dict[str, int]:
    """Add what is missing of the plan, its indicators and the tracker; returns counts added."""
    added = {}
    plan, added["plans"] = _plan()
    areas, added["focus_areas"] = _focus_areas(plan)
    indicators, added["indicators"] = _indicators()
    added["measures"] = _measures(plan, areas, indicators)
    db.session.flush()
    if (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(IndicatorValue)
            .where(IndicatorValue.indicator_id == indicators["hytu-plans"].id)
        )
        == 0
    ):
        db.session.add(IndicatorValue(indicator=indicators["hytu-plans"], year=2020, value=0))
    added["statuses"] = _seed_tracker()
    db.session.flush()
    return added


def _seed_tracker() -> int:
    """Every municipality without a history starts 'in preparation'."""
    start = seed_data()["starting_point"]
    tracked = set(db.session.scalars(sa.select(MunicipalPlanStatusChange.municipality_id)))
    added = 0
    for municipality in db.session.scalars(sa.select(Municipality).order_by(Municipality.id)):
        if municipality.id in tracked:
            continue
        db.session.add(
            MunicipalPlanStatusChange(
                municipality_id=municipality.id,
                status=MunicipalPlanStatus.IN_PREPARATION,
                changed_on=start["date"],
                source_text=start["source"],
            )
        )
        added += 1
    return added
