"""Views whose answer is the same whatever cookie comes with the request (calendar feeds).

Calendar apps keep no cookies, and a shared cache keeps one copy of such a response for
everyone. Flask adds `Vary: Cookie` to every response whose session was read, and Flask-Login
reads it after every request (for its remember-me cookie), so every feed said `Vary: Cookie`
and no cache could share it. A view marked `@cookieless` reads no session (its language comes
from ?lang= or Accept-Language); its response gets neither a session cookie nor that Vary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

F = TypeVar("F", bound=Callable)

#: View attribute set by `cookieless`.
COOKIELESS = "cookieless"


def cookieless(view: F) -> F:
    setattr(view, COOKIELESS, True)
    return view


def is_cookieless(app: Flask) -> bool:
    return getattr(app.view_functions.get(request.endpoint or ""), COOKIELESS, False)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, saved for every view but the cookieless ones."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if is_cookieless(app):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
