"""The API's blueprint (flask-smorest's, whose 304 answers here carry their ETag), its pages
told in RFC 8288 `Link` headers and an `X-Total-Count`, and the API's JSON error answers."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import flask_smorest
import sqlalchemy as sa
from flask import request
from flask_babel import ngettext
from flask_smorest.etag import _get_etag_ctx
from werkzeug.exceptions import HTTPException

from ..extensions import db

#: Documented with every paged answer. flask-smorest's own paging (an X-Pagination header of
#: JSON, which an OpenAPI header schema cannot describe; no upper bound on ?page=, which the
#: database's OFFSET has) is not used: the query schemas name `page` and `page_size`.
PAGING_HEADERS = {
    "Link": {
        "description": "RFC 8288 links to the `first`, `prev`, `next` and `last` pages, each "
        "with the same filters.",
        "schema": {"type": "string"},
    },
    "X-Total-Count": {
        "description": "How many items all the pages hold together.",
        "schema": {"type": "integer", "minimum": 0},
    },
}


class ApiBlueprint(flask_smorest.Blueprint):
    # The page's neighbours change the links and the count, so they change the ETag too.
    ETAG_INCLUDE_HEADERS = ["X-Total-Count", "Link"]

    def _check_not_modified(self, etag):
        # flask-smorest raises before it sets the ETag; a 304 should still carry it (RFC 9110).
        _get_etag_ctx()["not_modified"] = etag
        super()._check_not_modified(etag)


def page_url(number: int) -> str:
    """This request's address at page `number`, every other query value kept."""
    args = [(name, value) for name, value in request.args.items(multi=True) if name != "page"]
    args.append(("page", str(number)))
    return f"{request.base_url}?{urlencode(args)}"


def page_of(query: sa.Select, page: int, page_size: int) -> tuple[list, dict[str, str]]:
    """One page of `query` (which orders its rows completely, so pages never overlap), and the
    headers that tell where the others are."""
    found = db.paginate(query, page=page, per_page=page_size, error_out=False)
    total = found.total or 0
    last = max(1, -(-total // page_size))
    pages = {"first": 1, "last": last}
    if page > 1:
        pages["prev"] = min(page - 1, last)
    if page < last:
        pages["next"] = page + 1
    links = ", ".join(f'<{page_url(number)}>; rel="{rel}"' for rel, number in pages.items())
    return list(found.items), {"X-Total-Count": str(total), "Link": links}


def json_error(error: HTTPException, title: str, explanation: str, headers: dict[str, str]):
    """Errors under /api/ as JSON, in flask-smorest's documented shape (code, status, message,
    errors), the message in the reader's language."""
    code = error.code or 500
    if code == 304:
        etag = _get_etag_ctx().get("not_modified")
        return "", 304, {"ETag": f'"{etag}"'} if etag else {}
    # Allow on a 405 (RFC 9110); werkzeug names it in the exception's own headers.
    headers = {
        **{k: v for k, v in error.get_headers() if k.lower() != "content-type"},
        **headers,
    }
    # Our own refusals carry a reason for the reader (errors.reject), 404s included.
    reason = error.description if getattr(error, "hytu_reason", False) else None
    if code == 429 and "Retry-After" in headers:
        reason = ngettext(
            "Too many requests from your network address in a short time. Try again in "
            "%(num)d minute.",
            "Too many requests from your network address in a short time. Try again in "
            "%(num)d minutes.",
            math.ceil(int(headers["Retry-After"]) / 60),
        )
    payload = {"code": code, "status": error.name, "message": reason or explanation or title}
    data = getattr(error, "data", None) or {}
    if errors := data.get("messages") or data.get("errors"):
        payload["errors"] = errors
    return payload, code, headers
