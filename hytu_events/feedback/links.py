"""The personal feedback link: signed, bound to one request, expiring after
HYTU_FEEDBACK_LINK_DAYS. Tampered, foreign, expired and erased links all look the same."""

from __future__ import annotations

from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from ..extensions import db
from ..registrations.models import Registration
from ..registrations.tokens import signed_registration, signed_token
from .models import FeedbackRequest

#: Its own salt: a self-service token is no feedback token, nor the other way round.
SALT = "hytu-feedback"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def feedback_token(registration: Registration) -> str:
    return signed_token(_serializer(), registration)


def feedback_url(registration: Registration) -> str:
    """Absolute, for mail; `lang` opens the form in the person's own language."""
    base = current_app.config["BASE_URL"]
    return f"{base}/feedback/{feedback_token(registration)}?lang={registration.language.value}"


def request_for_token(token: str) -> FeedbackRequest | None:
    """The request a link belongs to, or None."""
    max_age = current_app.config["HYTU_FEEDBACK_LINK_DAYS"] * 86400
    registration = signed_registration(_serializer(), token, max_age=max_age)
    if registration is None:
        return None
    return db.session.scalar(
        db.select(FeedbackRequest).where(FeedbackRequest.registration_id == registration.id)
    )
