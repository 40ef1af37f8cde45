"""Who came to an event: counts by organisation category, organisation and municipality."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..events.models import Event
from ..extensions import db
from ..partners.models import Municipality, Organisation, OrganisationCategory
from .dashboard import participants_by_event


@dataclass
class Attendance:
    #: What the dashboard counts (a manual count wins over the registrations).
    total: int = 0
    #: Counted from registrations: marked as attended, or confirmed while nobody is marked.
    registered: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_organisation: list[tuple[str, int]] = field(default_factory=list)
    by_municipality: list[tuple[str, int]] = field(default_factory=list)


def attendance_of(event_id: int) -> Attendance:
    scope = sa.select(Event.id).where(Event.id == event_id)
    people, participants = participants_by_event(scope, [event_id])
    rows = people.get(event_id, [])
    organisations = {
        o.id: o
        for o in db.session.scalars(
            sa.select(Organisation).where(Organisation.id.in_({r[0] for r in rows if r[0]}))
        )
    }
    places = {
        m.id: m
        for m in db.session.scalars(
            sa.select(Municipality).where(Municipality.id.in_({r[1] for r in rows if r[1]}))
        )
    }
    categories, by_org, by_place = Counter(), Counter(), Counter()
    other = OrganisationCategory.OTHER
    for organisation_id, municipality_id, count in rows:
        organisation = organisations.get(organisation_id)
        categories[(organisation.category if organisation else other).label] += count
        by_org[organisation.display_name if organisation else "–"] += count
        by_place[places[municipality_id].name_fi if municipality_id else "–"] += count

    def ordered(counter):
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    return Attendance(
        total=participants.get(event_id, 0),
        registered=sum(count for *_, count in rows),
        by_category=ordered(categories),
        by_organisation=ordered(by_org),
        by_municipality=ordered(by_place),
    )
