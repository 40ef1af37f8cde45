"""Feedback in a person's data: they were asked, and whether they answered; never what.

The answers hold no registration, so export cannot find them and erasure need not: they stay,
anonymous. Erasing the person cuts the request from their registration (its id becomes NULL),
which keeps the count of those asked and kills their link.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..registrations.models import Registration
from ..registrations.personal_data import Shredder, register_shredder
from .models import FeedbackRequest


def _their_requests(email: str) -> sa.Select:
    return (
        sa.select(FeedbackRequest, Registration)
        .join(Registration, Registration.id == FeedbackRequest.registration_id)
        .where(Registration.email == email)
        .order_by(FeedbackRequest.id)
    )


def export_requests(email: str) -> list[dict]:
    return [
        {
            "event": {"id": registration.event_id, "title": registration.event.title},
            "asked": True,
            "answered": request.answered,
            "note": "Answers are stored without your name or registration.",
        }
        for request, registration in db.session.execute(_their_requests(email))
    ]


def erase_requests(email: str, now) -> None:
    ids = sa.select(Registration.id).where(Registration.email == email)
    db.session.execute(
        sa.update(FeedbackRequest)
        .where(FeedbackRequest.registration_id.in_(ids))
        .values(registration_id=None)
        .execution_options(synchronize_session=False)
    )


def register() -> None:
    register_shredder(Shredder("feedback", export_requests, erase_requests))
