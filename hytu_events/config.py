"""Settings read from the environment, with development defaults that work on a fresh machine.

Each setting is declared once, in SETTINGS: its name, default, how its text is read and what it
means (setting.py has the kinds of declaration and how each is read). `from_environment()` is
built from the declarations and so is the README's configuration table (`make settings-table`);
tests/app/test_settings_table.py fails when the two differ.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .setting import Setting, derived, env, fixed, not_read_by_the_app

SUPPORTED_LANGUAGES = ("fi", "sv", "en")


def _checkout() -> Path:
    return Path(__file__).resolve().parent.parent


def _database_url(url: str) -> str:
    # Hosting platforms still hand out the old scheme; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _development_database() -> str:
    return f"sqlite:///{INSTANCE_PATH / 'hytu_events.sqlite3'}"


def _scheme(values: Mapping[str, Any]) -> str:
    return urlsplit(values["BASE_URL"]).scheme


_ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?")


def _origins(text: str) -> tuple[str, ...]:
    """`https://www.pello.fi, https://kemi.fi` as origins; anything else refuses to start, since
    the values go into a Content-Security-Policy header as they are."""
    origins = []
    for part in filter(None, (item.strip() for item in text.split(","))):
        origin = part.rstrip("/").lower()
        if not _ORIGIN.fullmatch(origin):
            raise ConfigurationError(
                f"HYTU_EMBED_ORIGINS: {part!r} is not a web site's origin. Give scheme and host "
                "only, comma-separated, e.g. https://www.pello.fi,https://www.kemi.fi"
            )
        origins.append(origin)
    return tuple(dict.fromkeys(origins))


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SQLALCHEMY_DATABASE_URI",
        "SQLAlchemy URL; `postgresql://user:pass@host/db` for production (the psycopg 3 driver "
        "is chosen automatically)",
        variable="DATABASE_URL",
        parse=_database_url,
        blank_is_unset=True,
        default_factory=_development_database,
        shown_default="`sqlite:///instance/hytu_events.sqlite3`",
    ),
    env(
        "SECRET_KEY",
        None,
        "signs sessions and tokens. **Required in production**: with neither it nor "
        "`instance/secret_key` the app refuses to start (a command says so in one line, exit 2)",
        blank_is_unset=True,
        # create_app falls back on the stored key (see _require_secret_key there).
        shown_default="unset: the key in `instance/secret_key` (made by `make run`, mode 0600)",
    ),
    env(
        "BASE_URL",
        "http://127.0.0.1:5000",
        "public address, used for absolute links in emails and feeds; an `https` address also "
        "makes cookies `Secure` and turns on HSTS",
        parse=lambda url: url.rstrip("/"),
    ),
    env("HYTU_TIMEZONE", "Europe/Helsinki", "times are stored in UTC and shown in this zone"),
    env(
        "HYTU_CONTACT_EMAIL",
        "hytu@lapinliitto.fi",
        "feedback address shown in the footer, privacy notice and accessibility statement",
    ),
    env("MAIL_SERVER", "", "SMTP host; empty keeps mail in the local outbox (development)"),
    env("MAIL_PORT", 25, "SMTP port"),
    env("MAIL_USERNAME", None, "SMTP login, with `MAIL_PASSWORD`", blank_is_unset=True),
    env("MAIL_PASSWORD", None, "SMTP password, with `MAIL_USERNAME`", blank_is_unset=True),
    env("MAIL_USE_TLS", False, "STARTTLS after connecting"),
    env("MAIL_USE_SSL", False, "TLS from the start"),
    env(
        "HYTU_MAIL_CA_FILE",
        "",
        "with `MAIL_USE_TLS` or `MAIL_USE_SSL` the server's certificate and name are checked "
        "against the system's CAs, or only those in this PEM file (a server with a private CA)",
    ),
    env("MAIL_DEFAULT_SENDER", "HYTU-verkosto <hytu@localhost>", "From address"),
    env(
        "HYTU_PROMOTION_CUTOFF_HOURS",
        24.0,
        "no automatic promotion from the waiting list this close to an event's start "
        "(people must travel)",
    ),
    env(
        "HYTU_SELF_SERVICE_GRACE_DAYS",
        7,
        "self-service links keep working this many days after the event ends",
    ),
    env(
        "HYTU_REGISTRATION_RATE_LIMIT",
        "20 per 10 minutes",
        "registration form submissions per IP address",
    ),
    env(
        "HYTU_LINK_RATE_LIMIT",
        "5 per 10 minutes",
        '"send me my link again" submissions per IP address',
    ),
    # Rate limits (Flask-Limiter). memory:// counts in each process on its own, so create_app
    # refuses it in production unless HYTU_SINGLE_PROCESS says there is only one process.
    env(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        "where rate-limit and failed-login counters live. **Production: "
        "`redis://127.0.0.1:6379`** (or `redis://:password@host:6379/N`); `memory://` is "
        "refused outside debug and testing unless `HYTU_SINGLE_PROCESS=1`, because each "
        "process would count on its own",
    ),
    env(
        "RATELIMIT_KEY_PREFIX",
        "",
        "prefix of the counters' keys; apps sharing one Redis (staging, production) need "
        "different prefixes",
    ),
    env(
        "HYTU_FEED_CACHE_URI",
        "",
        "where built public feeds and the public pages' kept copies are kept, shared by "
        "every worker and instance: a "
        "`redis://` address (keys start with `RATELIMIT_KEY_PREFIX`); empty: "
        "`RATELIMIT_STORAGE_URI` when that is Redis, else each process's memory",
    ),
    env(
        "HYTU_SINGLE_PROCESS",
        False,
        "`1` says the app runs as exactly one process (`gunicorn --workers 1`, one instance), "
        "so `memory://` counts exactly and is allowed in production",
    ),
    env(
        "RATELIMIT_ENABLED",
        True,
        "`false` turns every rate limit and the login lockout off (load tests only); then no "
        "storage is needed",
    ),
    env(
        "HYTU_API_RATE_LIMIT",
        "600 per 10 minutes",
        "requests to the open data API (`/api/v1/`) per IP address, all its operations together",
    ),
    env(
        "HYTU_EMBED_ORIGINS",
        (),
        "web sites that may show `/embed/events` in a frame, comma-separated origins "
        "(`https://www.pello.fi,https://www.kemi.fi`); CSP `frame-ancestors` names exactly "
        "these, every other page of the app may be framed by nobody",
        parse=_origins,
        shown_default="empty: nobody",
    ),
    env(
        "HYTU_PROXY_FIX",
        0,
        "number of reverse proxies in front of the app that write `X-Forwarded-For`, `-Proto` "
        "and `-Host` themselves (1 behind nginx); trusts the last N entries of each (werkzeug "
        "ProxyFix). See [Client addresses behind a proxy](#client-addresses-behind-a-proxy). "
        "Never set it without such a proxy: clients could pick their own address",
    ),
    env(
        "HYTU_FEED_PAST_WEEKS",
        8,
        "calendar feeds keep published events this many weeks after they end",
    ),
    env(
        "HYTU_FEED_REFRESH_MINUTES",
        60,
        "polling interval suggested to calendar apps (`REFRESH-INTERVAL`, `X-PUBLISHED-TTL`)",
    ),
    # Failed logins are counted in the limiter's storage, so RATELIMIT_STORAGE_URI=redis://...
    # shares them between workers.
    env(
        "HYTU_LOGIN_FAILURES_PER_ACCOUNT",
        "5 per 15 minutes",
        "failed logins allowed per account before refusing for a while",
    ),
    env("HYTU_LOGIN_FAILURES_PER_IP", "20 per 15 minutes", "failed logins allowed per IP address"),
    env("HYTU_MIN_PASSWORD_LENGTH", 12, "minimum password length for coordinators"),
    env(
        "HYTU_SESSION_PROTECTION",
        "strong",
        "Flask-Login session protection: `strong` drops a session used from another address or "
        "browser",
    ),
    # The mail outbox and invitations (hytu_events.mailing).
    env(
        "HYTU_ORGANIZER_EMAIL",
        "hytu@lapinliitto.fi",
        "the real mailbox named as ORGANIZER in invitations (people's replies may reach it)",
    ),
    env("HYTU_ORGANIZER_NAME", "HYTU-verkosto", "its display name (CN)"),
    env(
        "HYTU_MAIL_MAX_ATTEMPTS",
        3,
        "tries after permanent (5xx) SMTP answers before a message is marked failed; temporary "
        "failures retry after 1, 5, 15, then every 60 minutes",
    ),
    env("HYTU_MAIL_POLL_SECONDS", 30.0, "`flask mail worker` interval"),
    env("HYTU_MAIL_BATCH_SIZE", 100, "messages per `mail send` run or worker round"),
    env(
        "HYTU_MAIL_SENDING_TIMEOUT_SECONDS",
        300,
        "a claimed but unconfirmed message (crashed worker) is due again after this",
    ),
    env("HYTU_MAIL_SMTP_TIMEOUT_SECONDS", 30.0, "SMTP network timeout"),
    env("HYTU_MAIL_RETENTION_DAYS", 90, "sent and failed messages are deleted after this"),
    env(
        "HYTU_REGISTRATION_RETENTION_MONTHS",
        12,
        "registrations are anonymised this long after their event ends (the privacy notice "
        "quotes it); counts stay",
    ),
    env(
        "HYTU_REMINDER_HOURS",
        24.0,
        "reminders go this long before an event starts, once per confirmed place",
    ),
    env(
        "HYTU_FEEDBACK_DELAY_HOURS",
        2.0,
        "participants are asked for feedback this long after an event ends, once each",
    ),
    env(
        "HYTU_FEEDBACK_LINK_DAYS",
        14,
        "a feedback link works this many days after it is sent (and answers once); events "
        "that ended longer ago are not asked about",
    ),
    # Running in production (hytu_events.serving): readiness, logs, metrics.
    env(
        "HYTU_READY_MAX_BACKLOG_AGE",
        1800,
        "`/readyz` answers 503 when the oldest message due in the outbox has waited longer "
        "than this many seconds (the mail workers are not keeping up); `0` leaves the outbox "
        "out of readiness",
    ),
    env(
        "HYTU_LOG_FORMAT",
        "json",
        "`json`: one JSON object a line with the request id (for a log collector); `text`: "
        "plain lines",
    ),
    env(
        "HYTU_METRICS_TOKEN",
        "",
        "`/metrics` answers loopback clients, and others only with `Authorization: Bearer` "
        "this token; empty: loopback only",
    ),
    not_read_by_the_app(
        "PROMETHEUS_MULTIPROC_DIR",
        "an empty folder where each gunicorn worker writes its metrics, so `/metrics` adds "
        "up every worker (`deploy/gunicorn.conf.py` empties it at start); unset: one process",
    ),
    # Read once, when this module is imported (PROJECT_ROOT and INSTANCE_PATH below).
    Setting(
        None,
        "where `templates/`, `static/` and `migrations/` are: the package runs from its "
        "checkout (`pip install -e .`); set it when the package is installed elsewhere",
        variable="HYTU_PROJECT_ROOT",
        parse=Path,
        blank_is_unset=True,
        default_factory=_checkout,
        shown_default="the checkout (the folder above the package)",
    ),
    Setting(
        None,
        "where the development database and secret live",
        variable="HYTU_INSTANCE_PATH",
        parse=Path,
        default_factory=lambda: PROJECT_ROOT / "instance",
        shown_default="`instance/`",
    ),
    not_read_by_the_app("FLASK_DEBUG", "`1` for development (`make run` sets it)"),
    not_read_by_the_app(
        "TEST_DATABASE_URL",
        "PostgreSQL server for the test suite (tests create their own database there)",
    ),
    not_read_by_the_app("CI", "`true` makes missing test services an error instead of a skip"),
    # Computed from the settings above.
    derived(
        "PREFERRED_URL_SCHEME",
        lambda values: _scheme(values) or "http",
        "the scheme of BASE_URL, for url_for(_external=True) outside a request",
    ),
    derived(
        "SESSION_COOKIE_SECURE",
        lambda values: _scheme(values) == "https",
        "behind a TLS-terminating proxy in production, cookies must be Secure",
    ),
    derived(
        "BABEL_DEFAULT_TIMEZONE",
        lambda values: values["HYTU_TIMEZONE"],
        "Flask-Babel's zone for dates it formats: HYTU_TIMEZONE",
    ),
    # Fixed: the app's own choices, not configurable.
    fixed(
        "SQLALCHEMY_ENGINE_OPTIONS",
        {"pool_pre_ping": True},
        "a pooled connection is tested before use, so a restarted database costs no request",
    ),
    fixed("BABEL_DEFAULT_LOCALE", "fi", "Finnish unless the reader asks for another language"),
    fixed(
        "BABEL_TRANSLATION_DIRECTORIES",
        str(Path(__file__).parent / "translations"),
        "the gettext catalogs",
    ),
    fixed("SUPPORTED_LANGUAGES", SUPPORTED_LANGUAGES, "the languages pages are offered in"),
    fixed("SESSION_COOKIE_SAMESITE", "Lax", "no session cookie on cross-site form posts"),
    fixed("SESSION_COOKIE_HTTPONLY", True, "scripts cannot read the session cookie"),
    fixed("WTF_CSRF_TIME_LIMIT", 8 * 3600, "a form stays valid for a working day"),
    fixed("MAX_CONTENT_LENGTH", 2 * 1024 * 1024, "the largest request body (plan imports)"),
    fixed("HYTU_PAST_EVENTS_PER_PAGE", 20, "past events per page of the public list"),
    fixed("HYTU_UPCOMING_EVENTS_PER_PAGE", 30, "upcoming events per page of the public list"),
    # The open data API (hytu_events.api, flask-smorest): its OpenAPI document at
    # /api/v1/openapi.json, generated from the code.
    fixed("API_TITLE", "HYTU events open data API", "the OpenAPI document's title"),
    fixed("API_VERSION", "1", "the API's version, as in /api/v1/"),
    fixed("OPENAPI_VERSION", "3.1.0", "the OpenAPI version the document is written in"),
    fixed("OPENAPI_URL_PREFIX", "/api/v1", "where flask-smorest serves the document"),
    fixed("OPENAPI_JSON_PATH", "openapi.json", "the document's name under that prefix"),
    fixed("HYTU_API_MAX_PAGE_SIZE", 100, "the most events or series one API page returns"),
    fixed(
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED",
        True,
        "while Redis is unreachable each process counts on its own, instead of failing forms",
    ),
)


def _declared(variable: str) -> Setting:
    return next(setting for setting in SETTINGS if setting.variable == variable)


#: The repository root: templates/, static/, migrations/ and instance/ live beside the package,
#: so the package runs from its checkout (`pip install -e .`); HYTU_PROJECT_ROOT points
#: elsewhere when it does not.
PROJECT_ROOT: Path = _declared("HYTU_PROJECT_ROOT").read(os.environ)
INSTANCE_PATH: Path = _declared("HYTU_INSTANCE_PATH").read(os.environ)


def from_environment() -> dict:
    """Everything the app reads from the environment; `create_app(config)` may override any key."""
    values = {
        setting.key: setting.read(os.environ)
        for setting in SETTINGS
        if setting.key is not None and setting.derive is None
    }
    for setting in SETTINGS:
        if setting.derive is not None:
            values[setting.key] = setting.derive(values)
    return values


def settings_table() -> str:
    """The README's configuration table: every setting the environment can change."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [
        f"| `{setting.variable}` | {setting.default_cell()} | {setting.meaning} |"
        for setting in SETTINGS
        if setting.documented
    ]
    return "\n".join(lines)


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
