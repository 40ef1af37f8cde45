"""hytu-events: events of Lapland's welfare and safety (HYTU) network."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides what the environment says."""
    _require_project_files()
    app = Flask(
        __name__,
        instance_path=str(settings.INSTANCE_PATH),
        template_folder=str(settings.PROJECT_ROOT / "templates"),
        static_folder=str(settings.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(settings.from_environment())
    if config:
        app.config.from_mapping(config)
    _require_secret_key(app)

    from .converters import IdConverter

    app.url_map.converters["id"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)

    from . import cli, errors, i18n, input_guard

    input_guard.init_app(app)  # after the extensions: its check runs before theirs
    errors.init_app(app)
    i18n.init_app(app)
    cli.init_app(app)
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
        raise RuntimeError(
            f"{', '.join(missing)} not found in {settings.PROJECT_ROOT}. Install the package "
            "from its checkout with `pip install -e .`, or set HYTU_PROJECT_ROOT to the "
            "checkout."
        )


def _require_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.debug or app.testing:
        app.config["SECRET_KEY"] = settings.development_secret_key()
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Set it in the environment (for example: "
        "SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(48))')), "
        "or run with FLASK_DEBUG=1 for development."
    )


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - every model registered before Alembic looks
    from .extensions import babel, csrf, db, limiter, mail, migrate, talisman
    from .i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    mail.init_app(app)
    limiter.init_app(app)
    from .accounts import auth

    auth.init_app(app)  # Flask-Login's login_manager
    if proxies := app.config.get("HYTU_PROXY_FIX", 0):
        # Trust X-Forwarded-For/-Proto from this many proxies, so limits see the real client.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    talisman.init_app(
        app,
        # TLS is terminated by the proxy in production; redirecting here would loop.
        force_https=False,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        strict_transport_security=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy={
            "default-src": "'self'",
            "img-src": "'self' data:",
            "style-src": "'self'",
            "script-src": "'self'",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
            "base-uri": "'self'",
        },
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def _register_blueprints(app: Flask) -> None:
    from .accounts.user_views import bp as users_bp
    from .accounts.views import bp as accounts_bp
    from .backoffice import bp as admin_bp
    from .calendar.views import bp as calendar_bp
    from .events.views import bp as events_bp
    from .plan.admin_views import bp as plan_admin_bp
    from .plan.editing_views import bp as plan_edit_bp
    from .plan.file_views import bp as plan_files_bp
    from .plan.follow_up_views import bp as follow_ups_bp
    from .plan.outcome_views import bp as plan_events_bp
    from .plan.public_views import bp as plan_public_bp
    from .public.views import bp as public_bp
    from .registrations.self_service import bp as self_service_bp
    from .registrations.views import bp as registrations_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(self_service_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(plan_public_bp)
    app.register_blueprint(plan_admin_bp)
    app.register_blueprint(plan_events_bp)
    app.register_blueprint(plan_edit_bp)
    app.register_blueprint(plan_files_bp)
    app.register_blueprint(follow_ups_bp)

    from . import mailing

    mailing.init_app(app)  # outbox pages, `flask mail`, mail on registration signals
