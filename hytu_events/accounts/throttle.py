"""Slowing down password guessing: failed logins counted per account and per address.

The counters live in Flask-Limiter's storage (RATELIMIT_STORAGE_URI): Redis in production, so
every worker and every instance counts the same failures, under RATELIMIT_KEY_PREFIX like the
form limits. Unknown emails are counted like known ones, so a throttled answer does not reveal
whether an account exists.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage

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


def _counters(email: str, ip: str):
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    for (scope, limit), key in zip(_limits(), _keys(email, ip), strict=True):
        yield limit, ([prefix] if prefix else []) + [scope, key]


def _fallback():
    """Counters in this process, for while the shared storage is unreachable."""
    extensions = current_app.extensions
    if "hytu_login_throttle_fallback" not in extensions:
        extensions["hytu_login_throttle_fallback"] = type(limiter.limiter)(MemoryStorage())
    return extensions["hytu_login_throttle_fallback"]


def _run(action):
    """`action(strategy)` on the shared storage; in this process when it is down.

    Like Flask-Limiter's in-memory fallback for the form limits: an unreachable Redis makes
    the limits looser (each process counts on its own) for a while, never the login a 500.
    """
    try:
        return action(limiter.limiter)
    except Exception:  # whatever the storage's client raises (redis.ConnectionError, ...)
        current_app.logger.warning(
            "Rate-limit storage unreachable: counting failed logins in this process only",
            exc_info=True,
        )
        return action(_fallback())


def is_throttled(email: str, ip: str) -> bool:
    """Too many recent failures for this account or from this address."""
    if not _enabled():
        return False
    return _run(
        lambda strategy: any(not strategy.test(limit, *key) for limit, key in _counters(email, ip))
    )


def record_failure(email: str, ip: str) -> None:
    if not _enabled():
        return
    _run(lambda strategy: [strategy.hit(limit, *key) for limit, key in _counters(email, ip)])
