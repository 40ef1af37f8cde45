"""Read-side queries for event listings, and one event by id, shared by pages and feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort

from ..extensions import db
from ..partners.models import Municipality
from .models import Event, EventKind, EventStatus, event_municipalities

#: Statuses the public may see; cancelled events stay visible so nobody travels in vain.
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


@dataclass(frozen=True)
class EventFilter:
    kind: EventKind | None = None
    municipality: Municipality | None = None
    #: A plan measure (hytu_events.plan.models.Measure): events that serve it.
    measure: object | None = None

    def as_args(self) -> dict[str, str]:
        """The filter as query-string values, for links that keep it."""
        args = {
            "kind": self.kind.value if self.kind else None,
            "municipality": self.municipality.slug if self.municipality else None,
            "measure": getattr(self.measure, "code", None),
        }
        return {name: value for name, value in args.items() if value}

    def apply(self, query: sa.Select) -> sa.Select:
        if self.kind is not None:
            query = query.where(Event.kind == self.kind)
        if self.municipality is not None:
            query = query.where(
                Event.id.in_(
                    sa.select(event_municipalities.c.event_id).where(
                        event_municipalities.c.municipality_id == self.municipality.id
                    )
                )
            )
        if self.measure is not None:
            from ..plan.models import event_measures

            query = query.where(
                Event.id.in_(
                    sa.select(event_measures.c.event_id).where(
                        event_measures.c.measure_id == self.measure.id
                    )
                )
            )
        return query


def public_events(event_filter: EventFilter) -> sa.Select:
    return event_filter.apply(sa.select(Event).where(Event.status.in_(PUBLIC_STATUSES)))


def events_list(event_filter: EventFilter, now: datetime, *, past: bool) -> sa.Select:
    """The public list: events not yet over soonest first, or past ones latest first."""
    query = public_events(event_filter)
    if past:
        return query.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    return query.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)


def event_or_404(event_id: int) -> Event:
    """Any event, drafts included: the back office's pages of one event."""
    return db.get_or_404(Event, event_id)


def public_event_or_404(event_id: int) -> Event:
    """Drafts do not exist for the public."""
    event = db.session.get(Event, event_id)
    if event is None or event.status is EventStatus.DRAFT:
        abort(404)
    return event
