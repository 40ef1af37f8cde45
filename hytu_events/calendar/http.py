"""Calendar responses with validators, answering conditional requests with 304.

Calendar clients poll feeds every few minutes to hours; a 304 saves building and sending the
whole calendar. werkzeug does the comparison (If-None-Match wins over If-Modified-Since, as
RFC 9110 says); the validators come from the data, so they change exactly when the data does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime

from flask import Response, request
from werkzeug.http import is_resource_modified

CALENDAR_MIMETYPE = "text/calendar"


def calendar_response(
    build: Callable[[], bytes],
    *,
    etag: str,
    last_modified: datetime | None,
    filename: str | None = None,
    private: bool = False,
    max_age: int = 300,
) -> Response:
    """`build` runs only when the client's copy is stale. `filename` makes it a download
    (event files); feeds have none, so a browser shows them and calendar apps subscribe."""
    response = Response(mimetype=CALENDAR_MIMETYPE)  # werkzeug adds "; charset=utf-8"
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    if private:
        # A secret feed address: no shared cache may keep a copy.
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    response.cache_control.max_age = max_age
    # The calendar's name and texts follow ?lang= or the client's languages.
    response.vary.add("Accept-Language")
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response.set_data(build())
    return response.make_conditional(request)


def ascii_filename(title: str, fallback: str) -> str:
    """'HYTU-klinikka: Inari' -> 'hytu-klinikka-inari.ics'; safe in any header."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-")
    return f"{slug or fallback}.ics"
