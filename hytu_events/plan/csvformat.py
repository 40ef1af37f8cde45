"""The CSV layouts `plan import` reads and `plan export` writes (one layout per kind of file).

The kind of a file is told by its header row, so one command takes both:

measures:          code,title,title_sv,title_en,description,start_year,end_year,target_text,
                   target_number,focus_areas,organisations,indicators
                   (title in Finnish; title_sv and title_en may be empty; a file without
                   those two columns is read too)
                   (focus_areas: focus area codes, organisations: organisation slugs,
                   indicators: indicator codes; several separated by `;`)
indicator values:  indicator,municipality,year,value
                   (indicator code; municipality slug, empty for the whole region)

UTF-8 (a BOM is fine), comma-separated; a semicolon-separated file (as spreadsheet programs
write in Finland) is read too. Decimal commas are accepted in numbers.
"""

from __future__ import annotations

MEASURE_COLUMNS = [
    "code",
    "title",
    "title_sv",
    "title_en",
    "description",
    "start_year",
    "end_year",
    "target_text",
    "target_number",
    "focus_areas",
    "organisations",
    "indicators",
]
VALUE_COLUMNS = ["indicator", "municipality", "year", "value"]
KINDS = {"measures": MEASURE_COLUMNS, "indicator-values": VALUE_COLUMNS}
#: Layouts written before a column was added, still read (the missing columns stay empty).
OLDER_LAYOUTS = {
    "measures": [c for c in MEASURE_COLUMNS if c not in ("title_sv", "title_en")],
}
LIST_SEPARATOR = ";"


def format_number(value: float | None) -> str:
    """12.0 -> "12", 12.5 -> "12.5": what a person would type, and what reads back equal."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
