"""One page of a list, as `?page=` asks: the same rule for every paged list."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import Pagination

from .extensions import db


def requested_page(query: sa.Select, per_page: int) -> Pagination:
    """A missing or bad `?page=` is the first page; one past the end is an empty page, not a
    404 (a list that shrank while someone paged through it)."""
    return db.paginate(
        query,
        page=max(request.args.get("page", 1, type=int), 1),
        per_page=per_page,
        error_out=False,
    )
