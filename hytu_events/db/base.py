"""The models' base and the Flask-SQLAlchemy object (re-exported by hytu_events.extensions).

Here rather than in extensions.py so that the base can map column types (db.types) while the
rest of this package (locks) uses the session: the database layer then imports nothing above.
"""

from datetime import datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, registry

from .types import UTCDateTime


class Base(DeclarativeBase):
    registry = registry(
        # Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
        metadata=MetaData(
            naming_convention={
                "ix": "ix_%(column_0_label)s",
                "uq": "uq_%(table_name)s_%(column_0_name)s",
                "ck": "ck_%(table_name)s_%(constraint_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                "pk": "pk_%(table_name)s",
            }
        ),
        # Every point in time is stored in UTC: a `Mapped[datetime]` column names no type.
        type_annotation_map={datetime: UTCDateTime},
    )


db = SQLAlchemy(model_class=Base)
