"""Static addresses carry their content's hash (`/static/css/site.css?v=1a2b3c4d5e`), so nginx
may let browsers keep them for a year: a changed file is a new address."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder)

    @cache  # files change only with a deploy, which restarts the processes
    def version(filename: str) -> str | None:
        try:
            return hashlib.sha256((folder / filename).read_bytes()).hexdigest()[:10]
        except OSError:  # not a file there (or outside the folder): no version, as before
            return None

    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        filename = values.get("filename") if endpoint == "static" else None
        if not filename or "v" in values or ".." in Path(filename).parts:
            return
        if hashed := version(filename):
            values["v"] = hashed
