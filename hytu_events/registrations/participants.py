"""The participant list of an event as coordinators see it: filtered, sorted and counted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..numbers import whole_number
from ..partners.models import Municipality, Organisation, OrganisationCategory
from .models import Registration, RegistrationStatus

#: Sortable columns, by the name used in `?sort=`.
SORT_COLUMNS = {
    "name": sa.func.lower(Registration.name),
    "email": Registration.email,
    "status": Registration.status,
    "organisation": sa.func.lower(
        sa.func.coalesce(Organisation.name, Registration.organisation_other)
    ),
    "municipality": Municipality.name_fi,
    "registered": Registration.created_at,
    "attended": Registration.attended,
}
DEFAULT_SORT = "registered"


@dataclass(frozen=True)
class ParticipantQuery:
    """Filters and order read from the query string; unknown values fall back to no filter."""

    status: RegistrationStatus | None = None
    category: OrganisationCategory | None = None
    municipality_id: int | None = None
    text: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ParticipantQuery:
        def enum_or_none(enum_cls, value):
            try:
                return enum_cls(value) if value else None
            except ValueError:
                return None

        municipality = args.get("municipality", "")
        sort = args.get("sort", DEFAULT_SORT)
        return cls(
            status=enum_or_none(RegistrationStatus, args.get("status")),
            category=enum_or_none(OrganisationCategory, args.get("category")),
            municipality_id=whole_number(municipality),
            text=args.get("q", "").strip()[:100],
            sort=sort if sort in SORT_COLUMNS else DEFAULT_SORT,
            descending=args.get("dir") == "desc",
        )

    def as_args(self, **overrides) -> dict[str, str]:
        """The query string for this view, e.g. for sort links that keep the filters."""
        values = {
            "status": self.status.value if self.status else "",
            "category": self.category.value if self.category else "",
            "municipality": str(self.municipality_id or ""),
            "q": self.text,
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value}


def _filtered(event_id: int, query: ParticipantQuery) -> sa.Select:
    select = (
        sa.select(Registration)
        .outerjoin(Organisation, Registration.organisation_id == Organisation.id)
        .outerjoin(Municipality, Registration.municipality_id == Municipality.id)
        .where(Registration.event_id == event_id)
    )
    if query.status is not None:
        select = select.where(Registration.status == query.status)
    if query.category is OrganisationCategory.OTHER:
        # Organisations typed by hand have no category: they count as "other".
        select = select.where(
            sa.or_(
                Organisation.category == OrganisationCategory.OTHER,
                Registration.organisation_id.is_(None),
            )
        )
    elif query.category is not None:
        select = select.where(Organisation.category == query.category)
    if query.municipality_id is not None:
        select = select.where(Registration.municipality_id == query.municipality_id)
    if query.text:
        pattern = (
            "%"
            + query.text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        select = select.where(
            sa.or_(
                sa.func.lower(Registration.name).like(pattern, escape="\\"),
                Registration.email.like(pattern, escape="\\"),
                sa.func.lower(Organisation.name).like(pattern, escape="\\"),
                sa.func.lower(Registration.organisation_other).like(pattern, escape="\\"),
            )
        )
    return select


def participants(event_id: int, query: ParticipantQuery) -> list[Registration]:
    """One query, whatever the number of rows (organisation and municipality come joined)."""
    column = SORT_COLUMNS[query.sort]
    order = column.desc() if query.descending else column.asc()
    select = _filtered(event_id, query).order_by(order, Registration.id)
    return list(db.session.scalars(select).unique())


@dataclass(frozen=True)
class Counts:
    by_category: list[tuple[str, int]]
    by_municipality: list[tuple[str, int]]


def confirmed_counts(event_id: int) -> Counts:
    """Confirmed participants per organisation category and per municipality (two queries)."""
    confirmed = sa.and_(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED
    )
    category = sa.func.coalesce(Organisation.category, OrganisationCategory.OTHER.value)
    category_rows = db.session.execute(
        sa.select(category, sa.func.count())
        .select_from(Registration)
        .outerjoin(Organisation, Registration.organisation_id == Organisation.id)
        .where(confirmed)
        .group_by(category)
    ).all()
    by_category = dict(
        (OrganisationCategory(getattr(value, "value", value)), count)
        for value, count in category_rows
    )
    municipality_rows = db.session.execute(
        sa.select(Municipality.name_fi, sa.func.count())
        .select_from(Registration)
        .outerjoin(Municipality, Registration.municipality_id == Municipality.id)
        .where(confirmed)
        .group_by(Municipality.name_fi)
        .order_by(sa.func.count().desc(), Municipality.name_fi)
    ).all()
    return Counts(
        by_category=[
            (category.label, by_category[category])
            for category in OrganisationCategory
            if by_category.get(category)
        ],
        by_municipality=[
            (name or str(_l("Region-wide or outside Lapland")), count)
            for name, count in municipality_rows
        ],
    )
