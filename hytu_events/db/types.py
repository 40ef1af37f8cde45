"""Column types used across the models, and the column declarations they repeat.

The aliases below are what a model writes instead of repeating a declaration:

    id: Mapped[IntPK]
    email: Mapped[EmailAddress] = mapped_column(unique=True)   # adds to the alias's column
    created_at: Mapped[CreatedAt]

A `Mapped[datetime]` needs no type: the models' base maps every datetime to UTCDateTime.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A point in time, always stored and returned as timezone-aware UTC.

    SQLite keeps no zone, so naive values read back are UTC by construction; refusing naive
    values on the way in keeps local wall-clock times from ever being stored by mistake.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A string column holding an enum's values, with a CHECK constraint in the database.

    Stored as VARCHAR rather than a native PostgreSQL ENUM so that adding a value is a plain
    migration on both SQLite and PostgreSQL.
    """
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


#: The surrogate key of a table.
IntPK = Annotated[int, mapped_column(primary_key=True)]
#: When the row was written: set by the app, so SQLite and PostgreSQL agree to the microsecond.
CreatedAt = Annotated[datetime, mapped_column(default=utcnow)]
#: When the row last changed through the ORM (raw SQL, such as the SQLite lock, leaves it).
UpdatedAt = Annotated[datetime, mapped_column(default=utcnow, onupdate=utcnow)]
#: An email address: 254 characters is the longest SMTP carries (RFC 5321).
EmailAddress = Annotated[str, mapped_column(sa.String(254))]
#: A name as people type it: a person's, an organisation's, a job's.
Name = Annotated[str, mapped_column(sa.String(200))]
