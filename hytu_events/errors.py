"""Friendly error pages in the visitor's language; never a stack trace."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, NoReturn

from flask import Flask, current_app, has_request_context, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, ServiceUnavailable, default_exceptions

from .db import outage
from .extensions import limiter

#: Seconds a client (a browser, a calendar app polling a feed) is asked to wait during an outage.
RETRY_AFTER_SECONDS = 60

TITLES = {
    400: lambda: _("The request could not be understood"),
    403: lambda: _("You do not have access to this page"),
    404: lambda: _("Page not found"),
    405: lambda: _("This action is not allowed here"),
    413: lambda: _("The submitted data is too large"),
    429: lambda: _("Too many requests"),
    500: lambda: _("Something went wrong on our side"),
    503: lambda: _("The service is temporarily unavailable"),
}


def _explanation(error: HTTPException, retry_after: int | None = None) -> str:
    code = error.code or 500
    if isinstance(error, CSRFError):
        return _(
            "The form had expired or was sent from another page. Go back, reload the page and "
            "send the form again; what you typed may need to be entered again."
        )
    if code == 404:
        return _("The page you are looking for does not exist or has been removed.")
    if retry_after:  # a rate limit of ours (Flask-Limiter) was reached
        return ngettext(
            "Too many forms were sent from your network address in a short time (people in "
            "one office often share one). Try again in %(num)d minute.",
            "Too many forms were sent from your network address in a short time (people in "
            "one office often share one). Try again in %(num)d minutes.",
            math.ceil(retry_after / 60),
        )
    if code == 429:
        return _("Please wait a moment and try again.")
    if code == 500:
        return _(
            "The error has been logged. Please try again in a moment; if it happens again, "
            "contact us."
        )
    if code == 503:
        return _("We cannot reach our database at the moment. Please try again in a few minutes.")
    # Our own aborts carry a reason written for the visitor; werkzeug's defaults are English.
    return error.description if getattr(error, "hytu_reason", False) else ""


def _seconds_until_allowed() -> int | None:
    """How long until the breached limit lets this address send again (None if unknown)."""
    try:
        reset_at = limiter.current_limit.reset_at
    except Exception:  # no limit in this request, or the storage went away meanwhile
        return None
    return max(1, int(reset_at - time.time()))


#: What an error answers on paths of a feature that does not speak HTML (the API answers JSON):
#: {path prefix: renderer}. A renderer gets the error, its title and explanation in the reader's
#: language and the headers the answer needs (Retry-After), and returns a Flask response value.
ErrorRenderer = Callable[[HTTPException, str, str, dict[str, str]], Any]
_EXTENSION = "hytu_error_renderers"


def render_errors_under(app: Flask, prefix: str, renderer: ErrorRenderer) -> None:
    """Errors of requests under `prefix` (a routing 404 or 405 too) are `renderer`'s."""
    app.extensions.setdefault(_EXTENSION, {})[prefix] = renderer


def _renderer_for(path: str) -> ErrorRenderer | None:
    renderers = current_app.extensions.get(_EXTENSION, {})
    return next((r for prefix, r in renderers.items() if path.startswith(prefix)), None)


def render_error(error: HTTPException):
    code = error.code or 500
    title = TITLES.get(code, TITLES[400] if code < 500 else TITLES[500])()
    retry_after = _seconds_until_allowed() if isinstance(error, RateLimitExceeded) else None
    if has_request_context() and (renderer := _renderer_for(request.path)):
        headers = {"Retry-After": str(retry_after)} if retry_after else {}
        return renderer(error, title, _explanation(error, retry_after), headers)
    try:
        body = render_template(
            "errors/error.html",
            code=code,
            title=title,
            explanation=_explanation(error, retry_after),
        )
    except Exception:  # the error page itself must not fail
        body = f"{code} {title}"
    if retry_after:
        return body, code, {"Retry-After": str(retry_after)}
    return body, code


def database_unavailable(error: Exception):
    """A database that cannot be reached is a 503 the client may retry, not a bug."""
    if not outage.unreachable(error):
        raise error  # a wrong statement: the 500 page, and its traceback in the log
    current_app.logger.warning(
        outage.describe(error, current_app.config["SQLALCHEMY_DATABASE_URI"])
    )
    # The page must not ask the database again who is logged in (Flask-Login's template
    # variable would): whoever it is sees the page an anonymous visitor sees.
    current_app.login_manager._update_request_context_with_user()
    response = current_app.make_response(render_error(ServiceUnavailable()))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def reject(code: int, reason: str) -> NoReturn:
    """Abort with a reason meant for the visitor (already translated)."""
    error = default_exceptions[code](description=reason)
    error.hytu_reason = True
    raise error


def init_app(app: Flask) -> None:
    # Unhandled exceptions reach the 500 handler through Flask (after logging); in tests they
    # propagate, so a bug fails its test instead of hiding behind an error page.
    app.register_error_handler(HTTPException, render_error)
    for error_class in outage.OUTAGE_ERRORS:
        app.register_error_handler(error_class, database_unavailable)
