"""Who came to an event: counts by organisation category, organisation and municipality.

*Participants* of an event: the outcome's manual count when one was given; otherwise the
registrations marked as attended, or, while nobody at the event is marked, the confirmed
registrations. The dashboard (hytu_events.reporting) counts them the same way, from here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..events.models import Event
from ..extensions import db
from ..partners.models import Municipality, Organisation, OrganisationCategory
from ..registrations.models import Registration, RegistrationStatus
from .models import Outcome


@dataclass
class Attendance:
    #: What the dashboard counts (a manual count wins over the registrations).
    total: int = 0
    #: Counted from registrations: marked as attended, or confirmed while nobody is marked.
    registered: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_organisation: list[tuple[str, int]] = field(default_factory=list)
    by_municipality: list[tuple[str, int]] = field(default_factory=list)


def _attendance_rows(scope: sa.Select):
    """(event, organisation, municipality, confirmed, attended, marked) grouped."""
    attended_column = getattr(Registration, "attended", None)
    if attended_column is not None:
        attended = sa.func.sum(sa.case((attended_column.is_(True), 1), else_=0))
        marked = sa.func.sum(sa.case((attended_column.is_not(None), 1), else_=0))
    else:  # before attendance marking exists, nobody is marked
        attended = marked = sa.literal(0)
    confirmed = sa.func.sum(
        sa.case((Registration.status == RegistrationStatus.CONFIRMED, 1), else_=0)
    )
    return db.session.execute(
        sa.select(
            Registration.event_id,
            Registration.organisation_id,
            Registration.municipality_id,
            confirmed,
            attended,
            marked,
        )
        .where(Registration.event_id.in_(scope))
        .group_by(Registration.event_id, Registration.organisation_id, Registration.municipality_id)
    ).all()


def participants_by_event(scope: sa.Select, event_ids) -> tuple[dict, dict[int, int]]:
    """(who came: event -> [(organisation, municipality, count)], event -> participants).

    Two queries, whatever the number of events.
    """
    manual = {
        event_id: count
        for event_id, count in db.session.execute(
            sa.select(Outcome.event_id, Outcome.manual_attendance).where(
                Outcome.event_id.in_(scope), Outcome.manual_attendance.is_not(None)
            )
        )
    }
    rows = _attendance_rows(scope)
    marked_events = {row[0] for row in rows if row[5]}
    people: dict[int, list[tuple[int | None, int | None, int]]] = defaultdict(list)
    for event_id, organisation_id, municipality_id, confirmed, attended, _marked in rows:
        count = attended if event_id in marked_events else confirmed
        if count:
            people[event_id].append((organisation_id, municipality_id, int(count)))
    participants = {
        event_id: manual.get(event_id, sum(c for _, _, c in people.get(event_id, [])))
        for event_id in event_ids
    }
    return people, participants


def participants_of_events(event_ids: list[int]) -> dict[int, int]:
    """How many took part in each of the events, counted as the dashboard counts them."""
    scope = sa.select(Event.id).where(Event.id.in_(event_ids))
    return participants_by_event(scope, event_ids)[1]


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
