"""`plan export`: measures and indicator values in the layout `plan import` reads back."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..extensions import db
from ..partners.models import Municipality
from ..spreadsheets import neutralise
from .csvformat import LIST_SEPARATOR, MEASURE_COLUMNS, VALUE_COLUMNS, format_number
from .models import Indicator, IndicatorValue, Measure


def measure_rows() -> list[list[str]]:
    rows = []
    for m in db.session.scalars(sa.select(Measure).order_by(Measure.code)):
        rows.append(
            [
                m.code,
                m.title,
                m.title_sv or "",
                m.title_en or "",
                m.description,
                str(m.start_year),
                str(m.end_year),
                m.target_text or "",
                format_number(m.target_number),
                LIST_SEPARATOR.join(a.code for a in m.focus_areas),
                LIST_SEPARATOR.join(o.slug for o in m.organisations),
                LIST_SEPARATOR.join(i.code for i in m.indicators),
            ]
        )
    return rows


def indicator_value_rows() -> list[list[str]]:
    place = aliased(Municipality)
    query = (
        sa.select(Indicator.code, place.slug, IndicatorValue.year, IndicatorValue.value)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .outerjoin(place, place.id == IndicatorValue.municipality_id)
        .order_by(Indicator.code, place.slug.is_not(None), place.slug, IndicatorValue.year)
    )
    return [
        [code, slug or "", str(year), format_number(value)]
        for code, slug, year, value in db.session.execute(query)
    ]


def export_csv(what: str, *, spreadsheet: bool = False) -> str:
    """The file `plan import` reads back. `spreadsheet`: as Excel opens it in Finland and
    Sweden (a BOM, semicolons, decimal commas), which the import reads as well."""
    columns, rows = (
        (MEASURE_COLUMNS, measure_rows())
        if what == "measures"
        else (VALUE_COLUMNS, indicator_value_rows())
    )
    out = io.StringIO()
    if spreadsheet:
        out.write("\ufeff")
        numbers = {columns.index(c) for c in ("target_number", "value") if c in columns}
        years = {columns.index(c) for c in ("start_year", "end_year", "year") if c in columns}
        rows = [
            [
                cell.replace(".", ",")
                if i in numbers
                else cell
                if i in years
                else neutralise(cell)  # text is never run as a formula; the import undoes it
                for i, cell in enumerate(row)
            ]
            for row in rows
        ]
    writer = csv.writer(out, delimiter=";" if spreadsheet else ",", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
