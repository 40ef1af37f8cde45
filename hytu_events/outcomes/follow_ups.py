"""Follow-up actions agreed at events, across all events: what is due, what is late, what is
done. Coordinators tick them off here without opening each outcome form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from .. import audit
from ..events.models import Event
from ..extensions import db
from .models import FollowUp, FollowUpStatus, Outcome

#: `?show=` values of the list.
SHOW = ("open", "overdue", "done", "all")


@dataclass(frozen=True)
class FollowUpRow:
    follow_up: FollowUp
    event: Event
    overdue: bool


def follow_ups_query(show: str, today: date) -> sa.Select:
    """Open ones first; by due date, undated last."""
    query = (
        sa.select(FollowUp)
        .join(FollowUp.outcome)
        .join(Outcome.event)
        .options(contains_eager(FollowUp.outcome).contains_eager(Outcome.event))
    )
    if show in ("open", "overdue"):
        query = query.where(FollowUp.status == FollowUpStatus.OPEN)
    if show == "overdue":
        query = query.where(FollowUp.due_on < today)
    if show == "done":
        query = query.where(FollowUp.status == FollowUpStatus.DONE)
    return query.order_by(
        FollowUp.status == FollowUpStatus.DONE,
        FollowUp.due_on.is_(None),
        FollowUp.due_on,
        Event.starts_at,
        FollowUp.id,
    )


def rows_of(follow_ups, today: date) -> list[FollowUpRow]:
    return [
        FollowUpRow(
            follow_up,
            follow_up.outcome.event,
            follow_up.status is FollowUpStatus.OPEN
            and follow_up.due_on is not None
            and follow_up.due_on < today,
        )
        for follow_up in follow_ups
    ]


def overdue_count(today: date) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FollowUp)
            .where(FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on < today)
        )
        or 0
    )


def set_status(follow_up: FollowUp, status: FollowUpStatus) -> bool:
    """Mark a follow-up done or open again, audited on its event's page; False if it was."""
    if follow_up.status is status:
        return False
    # With the follow-up's own words, so the event's history says which one changed.
    before = {"follow_up": follow_up.what, "status": follow_up.status.value}
    follow_up.status = status
    audit.record(
        "follow_up.done" if status is FollowUpStatus.DONE else "follow_up.reopened",
        follow_up,
        before=before,
        after={"follow_up": follow_up.what, "status": status.value},
        event_id=follow_up.outcome.event_id,
    )
    return True
