"""Constraints and indexes the models repeat, written once, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa


def not_empty(column: str) -> sa.CheckConstraint:
    """The database refuses an empty string in `column` (NULL is the column's own business)."""
    return sa.CheckConstraint(f"{column} <> ''", name=f"{column}_not_empty")


def unique_where(name: str, *columns: str, where: str) -> sa.Index:
    """A unique index over the rows matching `where` only (a partial index): NULL never equals
    NULL in a unique constraint, and rows out of use (revoked, cancelled) must not count."""
    return sa.Index(
        name,
        *columns,
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )
