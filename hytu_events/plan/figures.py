"""An indicator's figures, entered by hand: adding or replacing one for an area and a year, and
deleting one. Each change is recorded on the indicator's history (the caller commits)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .. import audit
from ..extensions import db
from .csvformat import format_number
from .models import Indicator, IndicatorValue
from .queries import indicator_value_at


@dataclass(frozen=True)
class SavedValue:
    value: IndicatorValue
    #: The figure it replaced, None when the year had none.
    previous: float | None


def figure_snapshot(value: IndicatorValue, figure: float | None) -> dict:
    """What the history shows of a figure: its area, year and value."""
    area = value.municipality.name_fi if value.municipality else _("Whole region")
    return {"area": area, "year": value.year, "value": format_number(figure)}


def save_figure(
    indicator: Indicator, municipality_id: int | None, year: int, value: float
) -> SavedValue:
    """Add the figure, or replace the one saved for the same area and year.

    IntegrityError: someone saved a figure for the same area and year just now.
    """
    existing = indicator_value_at(indicator.id, municipality_id, year)
    if existing is not None:
        previous, existing.value = existing.value, value
        saved = SavedValue(existing, previous)
    else:
        row = IndicatorValue(
            indicator_id=indicator.id, municipality_id=municipality_id, year=year, value=value
        )
        db.session.add(row)
        db.session.flush()
        saved = SavedValue(row, None)
    db.session.flush()
    db.session.refresh(saved.value)  # its municipality, for the history
    audit.record(
        "indicator_value.saved",
        indicator,
        before=figure_snapshot(saved.value, saved.previous) if saved.previous is not None else None,
        after=figure_snapshot(saved.value, saved.value.value),
    )
    return saved


def delete_figure(indicator: Indicator, value: IndicatorValue) -> None:
    audit.record("indicator_value.deleted", indicator, before=figure_snapshot(value, value.value))
    db.session.delete(value)
