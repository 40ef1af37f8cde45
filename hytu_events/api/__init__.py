"""The open data API: read-only JSON under /api/v1/, its OpenAPI 3.1 document generated from the
code at /api/v1/openapi.json, and a documentation page the app renders from that document.

Why flask-smorest (over APIFlask and spectree): it works on a plain Flask app factory with
ordinary blueprints (APIFlask wants its own APIFlask app object, and apiflask's blueprints
document nothing on a plain Flask app); it writes OpenAPI 3.1 through apispec from marshmallow
schemas, which both validate the query string and dump the answers, so the document cannot
drift from the code; and it has ETag and 304 handling (spectree has neither ETags nor paging,
and validates only). Its paging header (X-Pagination, JSON) is not used: pages are told in
RFC 8288 Link headers and X-Total-Count (blueprint.py). Its Swagger UI, ReDoc and RapiDoc pages
load their scripts from a CDN and are not turned on: docs.py renders the document as a page of
the site, in the reader's language, checked with axe like every other page.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale
from flask_cors import CORS
from flask_smorest import Api

from ..converters import IdConverter
from ..errors import render_errors_under
from ..i18n import language_from_request_only
from ..numbers import INT_MAX

#: Headers a script on another site may read from an answer.
EXPOSED_HEADERS = ["ETag", "Link", "X-Total-Count", "Retry-After", "Content-Language"]


def init_app(app: Flask) -> None:
    from . import docs, figures, views  # noqa: F401 - figures adds its operations to views.bp
    from .blueprint import json_error

    api = Api(app, spec_kwargs={"info": {"description": docs.INTRODUCTION}})
    api.register_converter(
        IdConverter, lambda _: {"type": "integer", "minimum": 1, "maximum": INT_MAX}
    )
    api.register_blueprint(views.bp)
    app.register_blueprint(docs.bp)
    app.extensions["hytu_api"] = api
    language_from_request_only(app, views.bp.name)
    render_errors_under(app, "/api/", json_error)
    # Open data: any site's scripts may read it, without cookies (no credentials).
    CORS(
        app,
        resources={r"/api/v1/.*": {"origins": "*"}},
        methods=["GET", "HEAD", "OPTIONS"],
        expose_headers=EXPOSED_HEADERS,
        send_wildcard=True,  # "*", the same answer for every site (caches need no Vary)
        supports_credentials=False,
        max_age=86400,
    )

    app.after_request(_tell_the_language)


def _tell_the_language(response):
    """Which language the texts are in, and that Accept-Language changes them (for caches)."""
    from .views import bp

    if request.blueprint == bp.name:
        response.headers["Content-Language"] = str(get_locale())
        response.vary.add("Accept-Language")
    return response
