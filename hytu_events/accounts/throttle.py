"""Slowing down password guessing: failed logins counted per account and per address.

The counters live in Flask-Limiter's storage (memory by default, Redis in production through
RATELIMIT_STORAGE_URI) so that several workers share them. Unknown emails are counted like
known ones, so a throttled answer does not reveal whether an account exists.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from limits import parse

from ..extensions import limiter


def _limits():
    config = current_app.config
    return (
        ("login-failures-account", parse(config["HYTU_LOGIN_FAILURES_PER_ACCOUNT"])),
        ("login-failures-ip", parse(config["HYTU_LOGIN_FAILURES_PER_IP"])),
    )


def _keys(email: str, ip: str) -> tuple[str, str]:
    # Hashed, so the shared storage holds no email addresses.
    return hashlib.sha256(email.encode()).hexdigest(), ip or "unknown"


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def is_throttled(email: str, ip: str) -> bool:
    """Too many recent failures for this account or from this address."""
    if not _enabled():
        return False
    strategy = limiter.limiter
    return any(
        not strategy.test(limit, scope, key)
        for (scope, limit), key in zip(_limits(), _keys(email, ip), strict=True)
    )


def record_failure(email: str, ip: str) -> None:
    if not _enabled():
        return
    strategy = limiter.limiter
    for (scope, limit), key in zip(_limits(), _keys(email, ip), strict=True):
        strategy.hit(limit, scope, key)
