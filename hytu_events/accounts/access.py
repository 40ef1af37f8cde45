"""Who may open which back-office page: `role_required` on every view outside the public site.

Conventions: GET pages of the back office need VIEWER; anything that changes data needs
COORDINATOR; user management needs ADMIN. tests/test_authorisation.py reads `required_role`
from every view in the URL map, so a view without it (and not on the public list) fails there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

from .models import Role

F = TypeVar("F", bound=Callable)


def login_redirect():
    """To the login page, coming back here afterwards (a path only: see safe_next_url)."""
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("accounts.login", next=target))


def refusal(role: Role):
    """What the current visitor gets instead of a page that needs `role`: a redirect to log
    in, a 403, or None when they may pass. A function of its own (not inside the decorator) so
    that it runs, and can be replaced by a mutation test, at request time."""
    if not current_user.is_authenticated:
        return login_redirect()
    if not current_user.has_role(role):
        abort(403)
    return None


def role_required(role: Role) -> Callable[[F], F]:
    """Anonymous visitors go to log in; a logged-in user below `role` gets 403."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            return refusal(role) or view(*args, **kwargs)

        guarded.required_role = role
        return guarded  # type: ignore[return-value]

    return decorate


def can(role: Role) -> bool:
    """For templates and views: may the current user do what needs `role`?"""
    return bool(current_user.is_authenticated and current_user.has_role(role))
