"""A migration that rebuilds a table keeps the rows of the tables referring to it.

On SQLite, batch mode alters a table by copying it and dropping the original; with foreign keys
on, the DROP would delete every row with ON DELETE CASCADE to it (migrations/env.py turns the
keys off around the migration and checks them before committing).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from hytu_events.extensions import db
from hytu_events.models import Registration
from tests.helpers import make_event
from tests.registrations.people import register_person

#: The revision before the series migration, which rebuilds `events` on SQLite.
BEFORE_SERIES = "1a23ca1036c3"


def test_rebuilding_events_keeps_their_registrations(app):
    event = make_event()
    ids = sorted(
        register_person(event, f"Osallistuja {n}", f"osallistuja{n}@example.fi").id
        for n in range(3)
    )
    db.session.commit()
    db.session.close()

    downgrade(revision=BEFORE_SERIES)
    upgrade()

    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(Registration.id))) == ids
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("events"))) == 1
