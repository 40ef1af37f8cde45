"""Events that have ended, their participants, and the feedback links they receive."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.feedback.asking import send_feedback_requests
from hytu_events.feedback.models import FeedbackAnswer, FeedbackRequest
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.plan.seed import seed_plan
from tests.helpers import municipality
from tests.plan.helpers import measure, past_event

FEEDBACK_LINK = re.compile(r"/feedback/([A-Za-z0-9_.\-]+)\?lang=(\w+)")


def ended_event(hours_ago: float = 5, measures=("T1", "T2"), **overrides):
    """A published event that ended `hours_ago`, serving `measures` (codes)."""
    seed_plan()
    db.session.commit()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=hours_ago + 3)
    event = past_event(
        0, [municipality("inari")], [measure(code) for code in measures], **overrides
    )
    event.starts_at, event.ends_at = start, start + timedelta(hours=3)
    db.session.commit()
    return event


def ask() -> int:
    asked = send_feedback_requests()
    db.session.commit()
    return asked


def requests_of(event) -> list[FeedbackRequest]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(FeedbackRequest).where(FeedbackRequest.event_id == event.id))
    )


def answers_of(event) -> list[FeedbackAnswer]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(FeedbackAnswer).where(FeedbackAnswer.event_id == event.id))
    )


def feedback_messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == MessageKind.FEEDBACK)
            .order_by(OutboxMessage.id)
        )
    )


def link_in(message: OutboxMessage) -> str:
    """The path and query of the feedback link in a queued message's text."""
    parsed = email.message_from_bytes(message.mime, policy=email.policy.default)
    text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain").get_content()
    found = FEEDBACK_LINK.search(text)
    assert found, "no feedback link in the message"
    return f"/feedback/{found.group(1)}?lang={found.group(2)}"
