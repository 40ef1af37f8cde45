"""Telling "the database cannot be reached" from every other database error.

The web answers such an error with a 503 page and the command line with one line and exit
status 2 (errors.py, cli.py); any other database error is a bug and keeps its traceback.
"""

from __future__ import annotations

import re

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url

#: The errors a lost or impossible connection arrives as; `unreachable` decides among them.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    exc.DBAPIError,
    exc.DisconnectionError,
    exc.TimeoutError,  # no pooled connection came free in time
)


@event.listens_for(Engine, "handle_error")
def _flag_failed_connects(context) -> None:
    """SQLAlchemy flags a connection lost in use (each dialect knows its driver's messages) as
    `connection_invalidated`, but not one that could never be made: refused, unknown host,
    wrong password, database missing, an SQLite file that cannot be opened. For whoever waits
    on it they are the same thing, so flag those too. Pre-ping keeps its own judgement."""
    if context.connection is None and not context.is_pre_ping:
        context.is_disconnect = True


def unreachable(error: BaseException) -> bool:
    """True when `error` says the database cannot be reached, not that a statement is wrong."""
    if isinstance(error, exc.DBAPIError):
        return error.connection_invalidated
    return isinstance(error, OUTAGE_ERRORS)


def shown_url(url: str) -> str:
    """The database URL as operators wrote it, without its password or query string."""
    parsed = make_url(url)
    parsed = parsed.set(drivername=parsed.get_backend_name(), query={})
    return parsed.render_as_string(hide_password=True)


def reason(error: BaseException) -> str:
    """The driver's own words for why, shortened: 'connection refused'."""
    text = str(getattr(error, "orig", None) or error)
    # Drivers add hints on indented lines and list several attempts; the last attempt's
    # final clause says what happened ("...port 1 failed: Connection refused").
    lines = [line.strip() for line in text.splitlines() if line.strip() and line[0] not in " \t"]
    lines = [line for line in lines if not line.startswith("(Background on this error")]
    last = lines[-1] if lines else type(error).__name__
    clause = re.sub(r"^\[Errno [^]]*\]\s*", "", last.rsplit(": ", 1)[-1].strip())
    if clause[1:2].islower():
        clause = clause[0].lower() + clause[1:]
    return clause


def describe(error: BaseException, url: str) -> str:
    """One line for logs and the command line; never the password."""
    return f"cannot reach the database at {shown_url(url)}: {reason(error)}"
