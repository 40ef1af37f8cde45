"""hytu-events: events of Lapland's welfare and safety (HYTU) network."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides what the environment says."""
    app = Flask(
        __name__,
        instance_path=str(settings.INSTANCE_PATH),
        template_folder=str(settings.PROJECT_ROOT / "templates"),
        static_folder=str(settings.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.from_mapping(config)
    from . import charts, cli, errors, i18n, input_guard, translated

    cli.report_failures_in_one_line(app)  # before anything below may refuse to start
    _require_project_files()
    _require_secret_key(app)
    _require_shared_rate_limits(app)

    from .converters import IdConverter

    app.url_map.converters["id"] = IdConverter
    _init_extensions(app)
    _register_audit_actions()
    _register_blueprints(app)
    input_guard.init_app(app)  # after the extensions: its check runs before theirs
    from . import serving

    serving.init_app(app)  # after input_guard: the request id is set before anything logs
    errors.init_app(app)
    i18n.init_app(app)
    translated.init_app(app)
    charts.init_app(app)
    cli.init_app(app)
    from .calendar import feed_front

    feed_front.init_app(app)  # last: in front of everything, for the public feed
    from . import page_cache

    page_cache.init_app(app)  # and the public pages' kept copies
    return app


def _require_project_files() -> None:
    # A plain `pip install .` copies the package alone into site-packages: say so at once
    # rather than answer every page with a missing template.
    missing = [
        name
        for name in ("templates", "static", "migrations")
        if not (settings.PROJECT_ROOT / name).is_dir()
    ]
    if missing:
        raise settings.ConfigurationError(
            f"{', '.join(missing)} not found in {settings.PROJECT_ROOT}. Install the package "
            "from its checkout with `pip install -e .`, or set HYTU_PROJECT_ROOT to the "
            "checkout."
        )


def _require_secret_key(app: Flask) -> None:
    """SECRET_KEY from the environment; else the one `make run` stored in instance/; else, in
    debug or testing, a new one stored there; else refuse to start."""
    if app.config.get("SECRET_KEY"):
        return
    key = settings.stored_secret_key()
    if key is None and (app.debug or app.testing):
        key = settings.development_secret_key()
    if key is None:
        raise settings.ConfigurationError(
            f"SECRET_KEY is not set and there is no key in {settings.secret_key_path()}. Set it in "
            "the environment (for example: "
            "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')), "
            "or run `make run` once for development."
        )
    app.config["SECRET_KEY"] = key


#: Flask-Limiter storages that live inside one process (limits' `memory://`).
PER_PROCESS_STORAGES = ("memory",)


def _require_shared_rate_limits(app: Flask) -> None:
    """Refuse to serve with rate-limit counters that each worker process keeps on its own.

    With four gunicorn workers and memory://, every worker counts separately: the login
    lockout came after 18 failures instead of 5. `flask` commands are exempt: they serve no
    requests, apart from `flask run`, which is one process, where memory:// counts exactly.
    """
    config = app.config
    if app.debug or app.testing or not config.get("RATELIMIT_ENABLED", True):
        return
    if config.get("HYTU_SINGLE_PROCESS") or os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        return
    storage = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if storage.partition("://")[0].lower() not in PER_PROCESS_STORAGES:
        return
    raise RuntimeError(
        f"RATELIMIT_STORAGE_URI is {storage}: each worker process would count rate limits "
        "and failed logins on its own, so the limits would not hold. Set "
        "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 (one Redis for every worker and "
        "instance), or HYTU_SINGLE_PROCESS=1 if the app runs as a single process "
        "(gunicorn --workers 1, one instance), or RATELIMIT_ENABLED=false to turn rate "
        "limiting off."
    )


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - every model registered before Alembic looks
    from .extensions import (
        CONTENT_SECURITY_POLICY,
        babel,
        compress,
        csrf,
        db,
        limiter,
        migrate,
        talisman,
    )
    from .i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    compress.init_app(app)
    from . import cookieless
    from .calendar import feed_cache

    cookieless.init_app(app)  # no session cookie, no Vary: Cookie for feeds
    feed_cache.init_app(app)
    from .accounts import auth

    auth.init_app(app)  # Flask-Login's login_manager
    if proxies := app.config.get("HYTU_PROXY_FIX", 0):
        # Trust X-Forwarded-For/-Proto from this many proxies, so limits see the real client.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    from . import secret_links

    secret_links.init_app(app)  # before Talisman, so that its Referrer-Policy wins (see there)
    talisman.init_app(
        app,
        # TLS is terminated by the proxy in production; redirecting here would loop.
        force_https=False,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        strict_transport_security=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def _register_audit_actions() -> None:
    """Each feature names its actions for the change history: the audit log imports none."""
    from .accounts import audit_actions as _accounts  # noqa: F401
    from .events import audit_actions as _events  # noqa: F401
    from .feedback import audit_actions as _feedback  # noqa: F401
    from .outcomes import audit_actions as _outcomes  # noqa: F401
    from .plan import audit_actions as _plan  # noqa: F401
    from .registrations import audit_actions as _registrations  # noqa: F401
    from .reporting import audit_actions as _reporting  # noqa: F401
    from .series import audit_actions as _series  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from .accounts.user_views import bp as users_bp
    from .accounts.views import bp as accounts_bp
    from .backoffice import bp as admin_bp
    from .backoffice import home, series_message  # noqa: F401 - pages on admin_bp
    from .calendar.views import bp as calendar_bp
    from .catalogue.embed import bp as embed_bp
    from .catalogue.preview import bp as catalogue_admin_bp
    from .catalogue.views import bp as catalogue_bp
    from .events.admin import bp as event_admin_bp
    from .outcomes.follow_up_views import bp as follow_ups_bp
    from .outcomes.outcome_views import bp as outcomes_bp
    from .plan.editing_views import bp as plan_edit_bp
    from .plan.file_views import bp as plan_files_bp
    from .public.views import bp as public_bp
    from .registrations.admin import bp as participant_admin_bp
    from .registrations.export_views import bp as export_admin_bp
    from .registrations.self_service import bp as self_service_bp
    from .registrations.views import bp as registrations_bp
    from .reporting.summary_views import bp as summary_bp
    from .reporting.views import bp as reporting_bp
    from .series.admin import bp as series_admin_bp
    from .series.views import bp as series_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(self_service_bp)
    app.register_blueprint(series_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(event_admin_bp)
    app.register_blueprint(series_admin_bp)
    app.register_blueprint(participant_admin_bp)
    app.register_blueprint(export_admin_bp)
    app.register_blueprint(catalogue_admin_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(summary_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(outcomes_bp)
    app.register_blueprint(plan_edit_bp)
    app.register_blueprint(plan_files_bp)
    app.register_blueprint(follow_ups_bp)

    from . import outcomes
    from .plan import templating

    templating.init_app(app)  # the plan's template globals and filters, which pages above use
    outcomes.init_app(app)  # what the plan's pages and rules ask of outcomes (see there)

    from . import mailing

    mailing.init_app(app)  # outbox pages, `flask mail`, mail on registration signals
    from . import feedback

    feedback.init_app(app)  # the form after an event, its settings, `flask feedback`
    from . import api

    api.init_app(app)  # the open data API, its OpenAPI document and documentation page
    # The capacity rule and the seat counts that events reach without importing registrations
    # (events.signals.capacity_submitted, events.occupancy) connect when seats is imported:
    # here, in every app (the command line too), whatever its pages import.
    from .registrations import seats  # noqa: F401
