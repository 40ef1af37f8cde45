"""The personal feedback link: signed, bound to one request, expiring after
HYTU_FEEDBACK_LINK_DAYS. Tampered, foreign, expired and erased links all look the same."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from ..extensions import db
from ..registrations.models import Registration
from .models import FeedbackRequest

#: Its own salt: a self-service token is no feedback token, nor the other way round.
SALT = "hytu-feedback"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(registration: Registration) -> str:
    """Changes when the registration is erased, which kills the link."""
    material = f"{registration.id}:{registration.email}:{registration.created_at.isoformat()}"
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def feedback_token(registration: Registration) -> str:
    return _serializer().dumps([registration.id, _fingerprint(registration)])


def feedback_url(registration: Registration) -> str:
    """Absolute, for mail; `lang` opens the form in the person's own language."""
    base = current_app.config["BASE_URL"]
    return f"{base}/feedback/{feedback_token(registration)}?lang={registration.language.value}"


def request_for_token(token: str) -> FeedbackRequest | None:
    """The request a link belongs to, or None."""
    if len(token) > 200:
        return None
    max_age = current_app.config["HYTU_FEEDBACK_LINK_DAYS"] * 86400
    try:
        registration_id, fingerprint = _serializer().loads(token, max_age=max_age)
        registration_id = int(registration_id)
    except (BadData, ValueError, TypeError):
        return None
    if not 0 < registration_id < 2**31:
        return None
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.erased_at is not None:
        return None
    if not hmac.compare_digest(str(fingerprint), _fingerprint(registration)):
        return None
    return db.session.scalar(
        db.select(FeedbackRequest).where(FeedbackRequest.registration_id == registration_id)
    )
