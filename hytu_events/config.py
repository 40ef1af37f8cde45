"""Settings read from the environment, with development defaults that work on a fresh machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

#: The repository root: templates/, static/, migrations/ and instance/ live beside the package,
#: so the package runs from its checkout (`pip install -e .`); HYTU_PROJECT_ROOT points
#: elsewhere when it does not.
PROJECT_ROOT = Path(os.environ.get("HYTU_PROJECT_ROOT") or Path(__file__).resolve().parent.parent)
INSTANCE_PATH = Path(os.environ.get("HYTU_INSTANCE_PATH", PROJECT_ROOT / "instance"))

SUPPORTED_LANGUAGES = ("fi", "sv", "en")


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_PATH / 'hytu_events.sqlite3'}"
    # Hosting platforms still hand out the old scheme; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class ConfigurationError(RuntimeError):
    """A setting the app cannot start without is missing; the message says what to do."""


def secret_key_path() -> Path:
    return INSTANCE_PATH / "secret_key"


def stored_secret_key() -> str | None:
    """The secret `make run` generated into instance/ (random, readable by its owner only)."""
    try:
        return secret_key_path().read_text().strip() or None
    except FileNotFoundError:
        return None


def development_secret_key() -> str:
    """The stored secret, else a new one stored, so sessions survive restarts of `make run`."""
    if key := stored_secret_key():
        return key
    INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created readable by its owner only, never briefly by everyone.
    descriptor = os.open(secret_key_path(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    secret_key_path().chmod(0o600)  # an empty file left behind kept its old mode
    return key


def _outbox_settings() -> dict:
    """The mail outbox and invitations (hytu_events.mailing)."""
    env = os.environ.get
    return {
        # iTIP ORGANIZER of invitations: a real mailbox that people's replies may reach.
        "HYTU_ORGANIZER_EMAIL": env("HYTU_ORGANIZER_EMAIL", "hytu@lapinliitto.fi"),
        "HYTU_ORGANIZER_NAME": env("HYTU_ORGANIZER_NAME", "HYTU-verkosto"),
        # 5xx answers are tried this many times before a message is marked failed.
        "HYTU_MAIL_MAX_ATTEMPTS": int(env("HYTU_MAIL_MAX_ATTEMPTS", "3")),
        # `mail worker` looks for due messages this often.
        "HYTU_MAIL_POLL_SECONDS": float(env("HYTU_MAIL_POLL_SECONDS", "30")),
        # Messages one `mail send` run (or one worker loop) delivers at most.
        "HYTU_MAIL_BATCH_SIZE": int(env("HYTU_MAIL_BATCH_SIZE", "100")),
        # A message claimed longer ago than this by a worker that died is sent again.
        "HYTU_MAIL_SENDING_TIMEOUT_SECONDS": int(env("HYTU_MAIL_SENDING_TIMEOUT_SECONDS", "300")),
        # Network timeout for each SMTP operation.
        "HYTU_MAIL_SMTP_TIMEOUT_SECONDS": float(env("HYTU_MAIL_SMTP_TIMEOUT_SECONDS", "30")),
        # Sent and failed messages are deleted this many days after they were written.
        "HYTU_MAIL_RETENTION_DAYS": int(env("HYTU_MAIL_RETENTION_DAYS", "90")),
        # Reminders go out this many hours before an event starts.
        "HYTU_REMINDER_HOURS": float(env("HYTU_REMINDER_HOURS", "24")),
    }


def from_environment() -> dict:
    """Everything the app reads from the environment; `create_app(config)` may override any key."""
    base_url = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    timezone = os.environ.get("HYTU_TIMEZONE", "Europe/Helsinki")
    mail_port = int(os.environ.get("MAIL_PORT", "25"))
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": base_url,
        "PREFERRED_URL_SCHEME": urlsplit(base_url).scheme or "http",
        "HYTU_TIMEZONE": timezone,
        "BABEL_DEFAULT_LOCALE": "fi",
        "BABEL_DEFAULT_TIMEZONE": timezone,
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "SUPPORTED_LANGUAGES": SUPPORTED_LANGUAGES,
        # Mail: without MAIL_SERVER, messages stay in the local outbox (the database).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": mail_port,
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "HYTU-verkosto <hytu@localhost>"
        ),
        "HYTU_CONTACT_EMAIL": os.environ.get("HYTU_CONTACT_EMAIL", "hytu@lapinliitto.fi"),
        **_outbox_settings(),
        # Behind a TLS-terminating proxy in production, cookies must be Secure.
        "SESSION_COOKIE_SECURE": urlsplit(base_url).scheme == "https",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "HYTU_PAST_EVENTS_PER_PAGE": 20,
        "HYTU_UPCOMING_EVENTS_PER_PAGE": 30,
        # Waiting list: no automatic promotion this close to the start (people must travel).
        "HYTU_PROMOTION_CUTOFF_HOURS": float(os.environ.get("HYTU_PROMOTION_CUTOFF_HOURS", "24")),
        # Self-service links stay valid this long after the event ends.
        "HYTU_SELF_SERVICE_GRACE_DAYS": int(os.environ.get("HYTU_SELF_SERVICE_GRACE_DAYS", "7")),
        # Registrations are anonymised this long after their event (the privacy notice says so).
        "HYTU_REGISTRATION_RETENTION_MONTHS": int(
            os.environ.get("HYTU_REGISTRATION_RETENTION_MONTHS", "12")
        ),
        # Calendar feeds: how far back published events stay, how often clients should poll.
        "HYTU_FEED_PAST_WEEKS": int(os.environ.get("HYTU_FEED_PAST_WEEKS", "8")),
        "HYTU_FEED_REFRESH_MINUTES": int(os.environ.get("HYTU_FEED_REFRESH_MINUTES", "60")),
        "HYTU_PROXY_FIX": int(os.environ.get("HYTU_PROXY_FIX", "0")),
        # Rate limits (Flask-Limiter). memory:// counts in each process on its own, so it is
        # refused in production unless HYTU_SINGLE_PROCESS says there is only one process
        # (create_app); redis://... counts once for every worker and instance.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        # Apps sharing one Redis (production and staging) keep their counters apart by this.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        # While Redis is unreachable each process counts on its own, instead of failing forms.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "HYTU_SINGLE_PROCESS": _env_bool("HYTU_SINGLE_PROCESS", False),
        "HYTU_REGISTRATION_RATE_LIMIT": os.environ.get(
            "HYTU_REGISTRATION_RATE_LIMIT", "20 per 10 minutes"
        ),
        "HYTU_LINK_RATE_LIMIT": os.environ.get("HYTU_LINK_RATE_LIMIT", "5 per 10 minutes"),
        # Failed logins allowed before refusing more for a while (counted in the limiter's
        # storage, so RATELIMIT_STORAGE_URI=redis://... shares them between workers).
        "HYTU_LOGIN_FAILURES_PER_ACCOUNT": os.environ.get(
            "HYTU_LOGIN_FAILURES_PER_ACCOUNT", "5 per 15 minutes"
        ),
        "HYTU_LOGIN_FAILURES_PER_IP": os.environ.get(
            "HYTU_LOGIN_FAILURES_PER_IP", "20 per 15 minutes"
        ),
        "HYTU_MIN_PASSWORD_LENGTH": int(os.environ.get("HYTU_MIN_PASSWORD_LENGTH", "12")),
        # Flask-Login: "strong" drops a session used from another address or browser.
        "HYTU_SESSION_PROTECTION": os.environ.get("HYTU_SESSION_PROTECTION", "strong"),
    }
