"""Row locks that serialise writers on PostgreSQL and SQLite alike."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db


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
