"""One page of a list, as `?page=` asks, and the tab it shows, as `?show=` asks: the same
rules for every list."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from .errors import reject
from .extensions import db
from .numbers import whole_number


def requested_page(query: sa.Select, per_page: int) -> Pagination:
    """No `?page=` is the first page; one past the end is an empty page, not a 404 (a list
    that shrank while someone paged through it); anything but a whole number from 1 up to
    the database's integer range is a 400 that says so."""
    raw = request.args.get("page", "")
    page = whole_number(raw) if raw else 1
    if page is None:
        reject(400, _("Unknown page number in the address (page)."))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def tab_of(value: str | None, tabs: Sequence[str]) -> str:
    """`value` when it names one of `tabs`, else the first of them (the list's default)."""
    return value if value in tabs else tabs[0]


def requested_tab(tabs: Sequence[str]) -> str:
    """The tab `?show=` asks for; none, or one the list does not have, shows the first."""
    return tab_of(request.args.get("show"), tabs)
