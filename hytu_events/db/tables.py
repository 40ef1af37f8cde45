"""The link tables of many-to-many relationships, declared the same way by every feature."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa

from .base import db


class LinkKey(NamedTuple):
    """One side of a link table: its column, the table whose `id` it holds, and what deleting
    that row does to the link (CASCADE: the link goes too; RESTRICT: the row cannot go)."""

    column: str
    table: str
    ondelete: str


def link_table(name: str, owner: LinkKey, member: LinkKey, *extra: sa.SchemaItem) -> sa.Table:
    """A table of links between two tables, one row a link: the pair of keys is its primary key.
    `extra` adds indexes (a lookup from the member's side) or constraints."""
    return sa.Table(
        name,
        db.metadata,
        *(
            sa.Column(
                key.column,
                sa.ForeignKey(f"{key.table}.id", ondelete=key.ondelete),
                primary_key=True,
            )
            for key in (owner, member)
        ),
        *extra,
    )
