"""Reading the event filter (`?kind=`, `?municipality=`) from a query string."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..errors import reject
from ..extensions import db
from ..numbers import whole_number
from ..partners.models import Municipality
from .models import EventKind
from .queries import EventFilter

_SLUG = re.compile(r"[a-z0-9-]{1,40}")


def find_municipality(value: str) -> Municipality | None:
    """A municipality by slug or id; malformed values never reach the database."""
    if (municipality_id := whole_number(value)) is not None:
        return db.session.get(Municipality, municipality_id)
    if _SLUG.fullmatch(value):
        return db.session.scalar(sa.select(Municipality).where(Municipality.slug == value))
    return None


def parse_event_filter(args: MultiDict) -> EventFilter:
    """The filter a visitor asked for; an unknown value is a 400 that says which."""
    kind = None
    if raw_kind := args.get("kind", "").strip():
        try:
            kind = EventKind(raw_kind)
        except ValueError:
            reject(400, _("Unknown event type in the address (kind)."))
    municipality = None
    if raw_municipality := args.get("municipality", "").strip():
        municipality = find_municipality(raw_municipality.lower())
        if municipality is None:
            reject(400, _("Unknown municipality in the address (municipality)."))
    measure = None
    if raw_measure := args.get("measure", "").strip():
        from ..plan.queries import find_measure

        measure = find_measure(raw_measure)
        if measure is None:
            reject(400, _("Unknown measure in the address (measure)."))
    return EventFilter(kind=kind, municipality=municipality, measure=measure)


def all_municipalities() -> list[Municipality]:
    return list(db.session.scalars(sa.select(Municipality).order_by(Municipality.name_fi)))
