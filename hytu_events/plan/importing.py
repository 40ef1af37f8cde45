"""`plan import`: every row is checked first; a file with any rejected row changes nothing."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .. import audit
from ..extensions import db
from ..numbers import whole_number
from ..partners.models import Municipality, Organisation
from ..spreadsheets import FORMULA_STARTS
from ..text import has_control_characters
from .csvformat import KINDS, LIST_SEPARATOR, MEASURE_COLUMNS, OLDER_LAYOUTS, VALUE_COLUMNS
from .models import FocusArea, Indicator, IndicatorValue, Measure
from .queries import current_plan

Progress = Callable[[Iterable], Iterable]


@dataclass(frozen=True)
class Rejection:
    line: int
    #: A lazy translation: str() it in the language to show it in.
    reason: LazyString | str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportResult:
    kind: str | None = None
    created: int = 0
    updated: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


class _Rejected(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        #: Translated when shown: the back office shows it in the reader's language.
        self.reason = reason


def _read(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [(reader.line_num, [_formula_safe_back(cell) for cell in row]) for row in reader]
    if not rows:
        return [], []
    header = [cell.strip().lower() for cell in rows[0][1]]
    return header, [(line, row) for line, row in rows[1:] if any(c.strip() for c in row)]


def _formula_safe_back(cell: str) -> str:
    """Undo the apostrophe the spreadsheet export puts before text that looks like a formula."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _number(raw: str, column: str, *, required: bool = True) -> float | None:
    raw = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        if required:
            raise _Rejected(_l("%(column)s is empty", column=column))
        return None
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        raise _Rejected(_l("%(column)s is not a number: %(raw)r", column=column, raw=raw)) from None
    if not math.isfinite(value):
        raise _Rejected(_l("%(column)s is not a number: %(raw)r", column=column, raw=raw))
    return value


def _year(raw: str, column: str) -> int:
    raw = raw.strip()
    if (year := whole_number(raw, minimum=1900, maximum=2200)) is None:
        raise _Rejected(_l("%(column)s is not a year: %(raw)r", column=column, raw=raw))
    return year


#: Columns of multi-line text, which may hold tabs and line breaks.
_MULTILINE = {"description", "target_text"}


def _plain_text(cells: dict[str, str]) -> dict[str, str]:
    """The row's cells, if none holds a control character (one rule with the forms')."""
    for column, cell in cells.items():
        if has_control_characters(cell, multiline=column in _MULTILINE):
            raise _Rejected(_l("%(column)s contains control characters", column=column))
    return cells


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(LIST_SEPARATOR) if item.strip()]


def import_csv(text: str, progress: Progress = lambda rows: rows) -> ImportResult:
    """Check every row, then save all of them or (if any is rejected) none.

    The caller commits on success; on rejection the session is rolled back here.
    """
    header, rows = _read(text)
    kind = next(
        (k for k, columns in [*KINDS.items(), *OLDER_LAYOUTS.items()] if header == columns),
        None,
    )
    if kind is None:
        expected = " | ".join(",".join(columns) for columns in KINDS.values())
        return ImportResult(
            rejected=[
                Rejection(
                    1,
                    _l(
                        "unknown columns %(columns)r; expected one of: %(expected)s",
                        columns=",".join(header),
                        expected=expected,
                    ),
                )
            ]
        )
    check = _MeasureRows() if kind == "measures" else _ValueRows()
    result = ImportResult(kind=kind)
    checked = []
    for line, row in progress(rows):
        try:
            if len(row) != len(header):
                raise _Rejected(
                    _l(
                        "%(count)d columns where the header has %(expected)d",
                        count=len(row),
                        expected=len(header),
                    )
                )
            checked.append(check.row(_plain_text(dict(zip(header, row, strict=True)))))
        except _Rejected as rejected:
            result.rejected.append(Rejection(line, rejected.reason))
    if result.rejected:
        db.session.rollback()
        return result
    try:
        for item in checked:
            if check.apply(item):
                result.created += 1
            else:
                result.updated += 1
        db.session.flush()
    except Exception:
        db.session.rollback()
        raise
    return result


def import_plan_file(text: str, filename: str) -> ImportResult:
    """A file a coordinator uploaded: `import_csv`, and on success an entry in the plan's history
    of what came in (the caller commits). `flask plan import` calls `import_csv` itself."""
    result = import_csv(text)
    if result.ok and (plan := current_plan()) is not None:
        audit.record(
            "plan.imported",
            plan,
            after={
                "file": filename,
                "kind": result.kind,
                "created": result.created,
                "updated": result.updated,
            },
        )
    return result


class _MeasureRows:
    def __init__(self):
        self.plan = current_plan()
        plan_id = self.plan.id if self.plan else None
        self.areas = {
            a.code: a
            for a in db.session.scalars(sa.select(FocusArea).where(FocusArea.plan_id == plan_id))
        }
        self.organisations = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
        self.indicators = {i.code: i for i in db.session.scalars(sa.select(Indicator))}
        self.measures = {m.code: m for m in db.session.scalars(sa.select(Measure))}
        self.seen: set[str] = set()

    def row(self, cells: dict[str, str]) -> dict:
        if self.plan is None:
            raise _Rejected(_l("there is no plan yet: run `flask seed` first"))
        code = cells["code"].strip()
        if not code or len(code) > 20:
            raise _Rejected(_l("code must be 1-20 characters"))
        if code in self.seen:
            raise _Rejected(_l("measure %(code)s appears twice in the file", code=code))
        self.seen.add(code)
        title = cells["title"].strip()
        if not title:
            raise _Rejected(_l("title is empty"))
        for column in ("title", "title_sv", "title_en"):
            if len(cells.get(column, "").strip()) > 300:
                raise _Rejected(_l("%(column)s is longer than 300 characters", column=column))
        start, end = _year(cells["start_year"], "start_year"), _year(cells["end_year"], "end_year")
        if end < start:
            raise _Rejected(_l("end_year is before start_year"))
        unknown = [c for c in _list(cells["focus_areas"]) if c not in self.areas]
        if unknown:
            raise _Rejected(_l("unknown focus area %(codes)s", codes=", ".join(unknown)))
        unknown = [s for s in _list(cells["organisations"]) if s not in self.organisations]
        if unknown:
            raise _Rejected(_l("unknown organisation %(slugs)s", slugs=", ".join(unknown)))
        unknown = [c for c in _list(cells["indicators"]) if c not in self.indicators]
        if unknown:
            raise _Rejected(_l("unknown indicator %(codes)s", codes=", ".join(unknown)))
        return dict(
            code=code,
            title=title,
            title_sv=cells.get("title_sv", "").strip() or None,
            title_en=cells.get("title_en", "").strip() or None,
            description=cells["description"].strip(),
            start_year=start,
            end_year=end,
            target_text=cells["target_text"].strip() or None,
            target_number=_number(cells["target_number"], "target_number", required=False),
            focus_areas=[self.areas[c] for c in _list(cells["focus_areas"])],
            organisations=[self.organisations[s] for s in _list(cells["organisations"])],
            indicators=[self.indicators[c] for c in _list(cells["indicators"])],
        )

    def apply(self, values: dict) -> bool:
        measure = self.measures.get(values["code"])
        created = measure is None
        if created:
            measure = Measure(plan=self.plan)
            db.session.add(measure)
        for name, value in values.items():
            setattr(measure, name, value)
        return created


class _ValueRows:
    def __init__(self):
        self.indicators = {i.code: i.id for i in db.session.scalars(sa.select(Indicator))}
        self.municipalities = {m.slug: m.id for m in db.session.scalars(sa.select(Municipality))}
        self.existing = {
            (v.indicator_id, v.municipality_id, v.year): v
            for v in db.session.scalars(sa.select(IndicatorValue))
        }
        self.seen: set[tuple] = set()

    def row(self, cells: dict[str, str]) -> tuple:
        code = cells["indicator"].strip()
        if code not in self.indicators:
            raise _Rejected(_l("unknown indicator %(code)r", code=code))
        slug = cells["municipality"].strip().lower()
        if slug and slug not in self.municipalities:
            raise _Rejected(_l("unknown municipality %(slug)r", slug=slug))
        key = (self.indicators[code], self.municipalities.get(slug), _year(cells["year"], "year"))
        value = _number(cells["value"], "value")
        if key in self.seen:
            if slug:
                message = _l(
                    "%(code)s for %(place)s in %(year)d appears twice in the file",
                    code=code,
                    place=slug,
                    year=key[2],
                )
            else:
                message = _l(
                    "%(code)s for the whole region in %(year)d appears twice in the file",
                    code=code,
                    year=key[2],
                )
            raise _Rejected(message)
        self.seen.add(key)
        return key, value

    def apply(self, item: tuple) -> bool:
        (indicator_id, municipality_id, year), value = item
        existing = self.existing.get((indicator_id, municipality_id, year))
        if existing is not None:
            existing.value = value
            return False
        db.session.add(
            IndicatorValue(
                indicator_id=indicator_id, municipality_id=municipality_id, year=year, value=value
            )
        )
        return True


__all__ = [
    "MEASURE_COLUMNS",
    "VALUE_COLUMNS",
    "ImportResult",
    "Rejection",
    "import_csv",
    "import_plan_file",
]
