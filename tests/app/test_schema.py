"""The schema: migrations match the models, and the database itself enforces the rules."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hytu_events.extensions import db
from hytu_events.models import (
    Event,
    EventKind,
    EventStatus,
    Language,
    Registration,
    RegistrationStatus,
)
from tests.helpers import make_event, organisation


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def _registration(event, email="aino@example.fi", **overrides):
    values = dict(
        event_id=event.id,
        name="Aino Aikio",
        email=email,
        organisation_id=organisation("lapin-avi").id,
        language=Language.FI,
        consent_at=datetime.now(UTC),
        status=RegistrationStatus.CONFIRMED,
    )
    values.update(overrides)
    return Registration(**values)


def _violates(obj) -> bool:
    db.session.add(obj)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return True
    db.session.rollback()
    return False


def test_one_active_registration_per_email_per_event(app):
    event = make_event()
    db.session.add(_registration(event))
    db.session.commit()
    assert _violates(_registration(event))
    # A cancelled place does not block registering again.
    first = db.session.scalars(sa.select(Registration)).one()
    first.status = RegistrationStatus.CANCELLED
    first.cancelled_at = datetime.now(UTC)
    db.session.commit()
    assert not _violates(_registration(event))


def _event(**overrides) -> Event:
    start = datetime.now(UTC) + timedelta(days=3)
    values = dict(
        kind=EventKind.HYTU_CLINIC,
        title="Klinikka",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    values.update(overrides)
    return Event(**values)


@pytest.mark.parametrize(
    "overrides",
    [
        {"ends_at": datetime.now(UTC)},
        {"capacity": 0},
        {"title": ""},
        {"revision": -1},
        {"status": EventStatus.CANCELLED},
        {"registration_closes_at": datetime.now(UTC) + timedelta(days=30)},
    ],
    ids=[
        "end-before-start",
        "zero-capacity",
        "empty-title",
        "negative-revision",
        "cancelled-without-reason",
        "registration-closes-after-end",
    ],
)
def test_database_refuses_impossible_events(app, overrides):
    assert not _violates(_event())
    assert _violates(_event(**overrides))


def test_database_refuses_registration_without_organisation_or_with_unknown_one(app):
    event = make_event()
    assert _violates(_registration(event, organisation_id=None, organisation_other=None))
    assert _violates(_registration(event, organisation_id=999_999))


def test_database_refuses_unknown_enum_values(app):
    event = make_event()
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE events SET kind = 'party' WHERE id = :id"), {"id": event.id}
        )


def test_times_come_back_in_utc(app):
    start = datetime(2026, 3, 29, 9, 0, tzinfo=UTC)
    event = make_event(starts_at=start)
    db.session.expire_all()
    loaded = db.session.get(Event, event.id)
    assert loaded.starts_at == start
    assert loaded.starts_at.tzinfo is not None
