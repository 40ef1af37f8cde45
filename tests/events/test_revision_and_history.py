"""The revision counts every significant change from where it stands, and each state change
leaves the entry the event's history shows."""

from __future__ import annotations

import sqlalchemy as sa

from hytu_events.events import operations
from hytu_events.extensions import db
from hytu_events.models import AuditEntry, EventStatus
from tests.helpers import make_event


def test_each_significant_change_raises_the_revision_from_its_current_value(app):
    event = make_event(revision=3)
    operations.apply_changes(event, {"venue": "Sallan kunnantalo"})
    assert event.revision == 4
    operations.apply_changes(event, {"venue": "Kemijärven kaupungintalo"})
    assert event.revision == 5


def test_cancelling_records_the_cancellation_with_its_reason(app):
    event = make_event()
    operations.cancel_event(event.id, "  Sairastuminen  ")
    db.session.commit()
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.event_id == event.id)).all()
    assert entry.action == "event.cancelled"
    assert entry.before["status"] == EventStatus.PUBLISHED.value
    assert entry.after["status"] == EventStatus.CANCELLED.value
    assert entry.after["cancellation_reason"] == "Sairastuminen"


def test_publishing_records_the_publication(app):
    event = make_event(status=EventStatus.DRAFT)
    operations.publish_event(event.id)
    db.session.commit()
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.event_id == event.id)
    ).all()
    assert actions == ["event.published"]
