"""Row locks that serialise writers on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from .base import db

if TYPE_CHECKING:
    from ..events.models import Event

#: The row every seat change locks first (hytu_events.events.models.Event).
EVENTS_TABLE = "events"


def lock_for_update(model, row_id: int):
    """Load `model` row `row_id` fresh, holding a write lock until the transaction ends.

    PostgreSQL locks the row (SELECT ... FOR UPDATE). SQLite has no row locks; a no-op UPDATE
    takes the database's write lock, so the next writer waits instead of reading a count that
    is about to change. Raw SQL keeps column `onupdate` hooks (updated_at) out of it.
    """
    session = db.session
    if session.get_bind().dialect.name == "sqlite":
        table = model.__table__.name
        session.execute(sa.text(f"UPDATE {table} SET id = id WHERE id = :id"), {"id": row_id})  # noqa: S608 - table name from our own model
        return session.get(model, row_id, populate_existing=True)
    return session.scalars(
        sa.select(model)
        .where(model.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def lock_event(event_id: int) -> Event | None:
    """The event, re-read under a write lock held until commit: every seat change and every
    coordinator change of an event starts here, always locking the event before any
    registration, so two changes never deadlock.

    The event model is found by its table in the mapper registry rather than imported: the
    database layer sits below every feature. tests/registrations/test_under_load.py replaces
    `lock_for_update` in this module with a plain read (its control run), to show the
    overbooking this lock prevents."""
    return lock_for_update(_mapped_class(EVENTS_TABLE), event_id)


def lock_events(event_ids) -> list[Event]:
    """Several events under lock (a person taking or leaving the dates of a series), in
    ascending id order: every change of more than one event takes its locks in this one
    order, so two of them never each hold a lock the other waits for. Ids of no event are
    left out."""
    events = (lock_event(event_id) for event_id in sorted(set(event_ids)))
    return [event for event in events if event is not None]


def _mapped_class(table_name: str):
    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name == table_name:
            return mapper.class_
    raise LookupError(table_name)
