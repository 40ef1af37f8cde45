"""The coordinator's home page: what is coming, what needs follow-up, who just registered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import joinedload

from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..local_time import zone
from ..outcomes.follow_ups import overdue_count
from ..registrations.models import Registration
from ..registrations.seats import SeatCount, seat_counts
from . import bp

UPCOMING_LIMIT = 20
RECENT_LIMIT = 10


@dataclass(frozen=True)
class EventLoad:
    """An upcoming event with how full it is."""

    event: Event
    count: SeatCount

    @property
    def fill_percent(self) -> int | None:
        """Confirmed places as a percentage of capacity; None without a limit."""
        if not self.event.capacity:
            return None
        return min(round(100 * self.count.confirmed / self.event.capacity), 100)

    @property
    def chart_row(self) -> tuple[str, int]:
        return self.event.title, self.fill_percent or 0


def upcoming_loads(now: datetime, limit: int = UPCOMING_LIMIT) -> list[EventLoad]:
    events = list(
        db.session.scalars(
            sa.select(Event)
            .where(Event.status == EventStatus.PUBLISHED, Event.ends_at > now)
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
        )
    )
    counts = seat_counts([event.id for event in events])
    return [EventLoad(event, counts[event.id]) for event in events]


def events_needing_outcomes(now: datetime, limit: int = UPCOMING_LIMIT) -> list[Event]:
    """Published events that have ended without a recorded outcome (see plan.outcomes)."""
    from ..outcomes.outcomes import events_needing_outcomes as without_outcome

    return without_outcome(now, limit)


def recent_registrations(limit: int = RECENT_LIMIT) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .options(joinedload(Registration.event))
            .order_by(Registration.created_at.desc(), Registration.id.desc())
            .limit(limit)
        )
    )


@bp.get("/")
@role_required(Role.VIEWER)
def home():
    now = utcnow()
    return render_template(
        "admin/home.html",
        loads=upcoming_loads(now),
        needing_outcomes=events_needing_outcomes(now),
        overdue_follow_ups=overdue_count(now.astimezone(zone()).date()),
        recent=recent_registrations(),
    )
