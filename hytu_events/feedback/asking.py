"""Asking for feedback: once per participant, a while after the event ends.

Participants are those marked as attended, or, where nobody at the event is marked, the
confirmed registrations (as attendance counts them). Each is asked once: the request row's
unique registration decides, inside a savepoint, so two workers asking at the same moment
send one message between them; the outbox's dedupe key says the same a second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..mailing.content import event_page_url
from ..mailing.models import MessageKind
from ..mailing.notify import enqueue_for, registration_content
from ..mailing.outbox import already_queued
from ..registrations.models import Registration, RegistrationStatus
from .links import feedback_url
from .models import FeedbackRequest
from .switches import switched_off

Progress = Callable[[Iterable], Iterable]


def request_key(registration: Registration) -> str:
    return f"feedback:{registration.id}"


def _marked_events() -> sa.Select:
    """Events where the coordinator has marked anyone's attendance."""
    return sa.select(Registration.event_id).where(Registration.attended.is_not(None))


def due_for_feedback(now: datetime) -> list[Registration]:
    """Participants of published events that ended at least HYTU_FEEDBACK_DELAY_HOURS ago,
    and no longer ago than their link would last, who have not been asked."""
    config = current_app.config
    ended_before = now - timedelta(hours=config["HYTU_FEEDBACK_DELAY_HOURS"])
    ended_after = now - timedelta(days=config["HYTU_FEEDBACK_LINK_DAYS"])
    participant = sa.or_(
        Registration.attended.is_(True),
        sa.and_(Registration.attended.is_(None), Registration.event_id.not_in(_marked_events())),
    )
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(Event, Registration.event_id == Event.id)
            .outerjoin(FeedbackRequest, FeedbackRequest.registration_id == Registration.id)
            .where(
                Event.status == EventStatus.PUBLISHED,
                Event.ends_at <= ended_before,
                Event.ends_at > ended_after,
                Event.id.not_in(switched_off()),
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.erased_at.is_(None),
                participant,
                FeedbackRequest.id.is_(None),
            )
            .order_by(Event.ends_at, Registration.id)
        )
    )


def _claim(registration: Registration) -> bool:
    """The request row, or False when someone else has asked this person already."""
    try:
        with db.session.begin_nested():
            db.session.add(
                FeedbackRequest(registration_id=registration.id, event_id=registration.event_id)
            )
    except IntegrityError:
        return False
    return True


def ask(registration: Registration) -> bool:
    """One request and its message, in the caller's transaction; False if already asked."""
    key = request_key(registration)
    if already_queued(key) or not _claim(registration):
        return False
    with force_locale(registration.language.value):
        content = registration_content(
            registration,
            _(
                "Feedback: %(title)s",
                title=registration.event.title_in(registration.language.value),
            ),
            _(
                "Thank you for taking part. Was the event useful for your work? Answering "
                "takes a minute, and your answer is anonymous: the organisers see what was "
                "said, not who said it."
            ),
            _("The link works once and for %(days)d days.", days=_link_days()),
            new_feed=False,
            online_link=False,
        )
        # Only what is of use after the event: not "change or cancel your registration".
        content.links = [
            (_("Give feedback"), feedback_url(registration)),
            (_("Event page"), event_page_url(registration.event)),
        ]
    enqueue_for(registration, MessageKind.FEEDBACK, content, dedupe_key=key)
    return True


def _link_days() -> int:
    return current_app.config["HYTU_FEEDBACK_LINK_DAYS"]


def send_feedback_requests(now: datetime | None = None, progress: Progress = lambda x: x) -> int:
    """Ask everyone due; returns how many were asked. The caller commits."""
    now = now or utcnow()
    return sum(1 for registration in progress(due_for_feedback(now)) if ask(registration))
