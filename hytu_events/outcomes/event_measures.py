"""The measures of the plan an event serves: the coordinator links them before the event, and
its outcome form starts from them."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..db.types import utcnow
from ..events.models import Event
from ..extensions import db
from ..plan.models import event_measures
from ..plan.queries import measures_of_event


def set_event_measures(event_id: int, measure_ids: list[int]) -> None:
    """Replace the measures an event serves (the caller commits).

    The event counts as changed when they do: its page lists them and `?measure=` feeds
    gain or lose it.
    """
    before = set(
        db.session.scalars(
            sa.select(event_measures.c.measure_id).where(event_measures.c.event_id == event_id)
        )
    )
    if before == set(measure_ids):
        return
    db.session.execute(
        sa.update(Event).where(Event.id == event_id).values(updated_at=utcnow()),
        execution_options={"synchronize_session": "fetch"},
    )
    db.session.execute(sa.delete(event_measures).where(event_measures.c.event_id == event_id))
    for measure_id in dict.fromkeys(measure_ids):
        db.session.execute(
            sa.insert(event_measures).values(event_id=event_id, measure_id=measure_id)
        )


def link_measures(event: Event, measure_ids: list[int]) -> None:
    """The coordinator's choice of measures for an event, recorded on the event's page by their
    codes (the caller commits)."""
    before = [m.code for m in measures_of_event(event.id)]
    set_event_measures(event.id, measure_ids)
    after = [m.code for m in measures_of_event(event.id)]
    audit.record("event.measures", event, before={"measures": before}, after={"measures": after})
