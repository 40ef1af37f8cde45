"""Flask-Login wiring: loading the user of a session, and what templates may ask about it."""

from __future__ import annotations

import hmac

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from .access import can, login_redirect
from .models import Role, User


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session's user, unless their sessions were ended since (`User.end_sessions`).

    `session_id` is `User.get_id()` as it was at login, from the session or a remember-me
    cookie; a deactivated user's sessions end too, whatever the id says.
    """
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    return login_redirect()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to see this page.")
    # "strong": a session cookie replayed from another address or browser is dropped.
    login_manager.session_protection = app.config.get("HYTU_SESSION_PROTECTION", "strong")
    from ..audit.history import history

    app.jinja_env.globals.update(
        Role=Role,
        can=can,
        audit_history=history,
    )
