"""Self-service links: signed, bound to one registration, expiring after its event."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app, url_for
from itsdangerous import BadData, Serializer, URLSafeSerializer

from ..db.types import utcnow
from ..extensions import db
from .models import Registration

SALT = "hytu-self-service"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(registration: Registration) -> str:
    """Changes when the registration is erased, which kills every link to it."""
    material = f"{registration.id}:{registration.email}:{registration.created_at.isoformat()}"
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def signed_token(serializer: Serializer, registration: Registration) -> str:
    """`registration` named by `serializer`'s signature (its salt says what the link is for)."""
    return serializer.dumps([registration.id, _fingerprint(registration)])


def signed_registration(serializer: Serializer, token: str, **loads) -> Registration | None:
    """The live registration a token from `signed_token` names, or None: tampered, foreign
    (another salt), erased or, with `loads` (e.g. `max_age`), expired tokens look the same."""
    if len(token) > 200:
        return None
    try:
        registration_id, fingerprint = serializer.loads(token, **loads)
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
    return registration


def self_service_token(registration: Registration) -> str:
    return signed_token(_serializer(), registration)


def self_service_url(registration: Registration) -> str:
    base = current_app.config["BASE_URL"]
    return f"{base}/r/{self_service_token(registration)}"


def own_calendar_url(registration: Registration) -> str:
    """The person's own dates as a calendar file ("Add to calendar"), opened by their link's
    secret (calendar.own_dates_file): for their eyes only, like the link itself."""
    return url_for("calendar.own_dates_file", token=self_service_token(registration))


def expires_at(registration: Registration):
    grace = timedelta(days=current_app.config["HYTU_SELF_SERVICE_GRACE_DAYS"])
    return registration.event.ends_at + grace


def registration_for_token(token: str) -> Registration | None:
    """The registration a link belongs to, or None: tampered, foreign, erased or expired links
    all look the same to the visitor."""
    registration = signed_registration(_serializer(), token)
    if registration is None or utcnow() > expires_at(registration):
        return None
    return registration
