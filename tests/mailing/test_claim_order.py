"""A worker takes what has waited longest first: when more is due than one batch holds, the
oldest due time goes first and equal times go in the order they were written."""

from datetime import timedelta

import sqlalchemy as sa

from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.mailing.models import MessageStatus, OutboxMessage
from hytu_events.mailing.sender import claim_due
from tests.helpers import make_event
from tests.mailing.helpers import register_person


def test_the_longest_waiting_message_is_claimed_first(app):
    event = make_event()
    for n in range(4):
        register_person(event, n)
    rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    now = utcnow()
    # Written first, due last; then two due at the same moment; the last written is due first.
    due = [now - timedelta(minutes=1), now - timedelta(hours=1), now - timedelta(hours=1)]
    due.append(now - timedelta(hours=2))
    for row, at in zip(rows, due, strict=True):
        row.next_attempt_at = at
    db.session.commit()
    order = [claim_due(1, now) for _ in rows]
    assert order == [[rows[3].id], [rows[1].id], [rows[2].id], [rows[0].id]]
    assert claim_due(1, now) == []  # all four are being sent now
    db.session.expire_all()
    assert {row.status for row in rows} == {MessageStatus.SENDING}
