"""What every request passes before a view reads it: one place, whatever the endpoint.

- `Request` keeps a query string that is not UTF-8 readable: bytes a client sent raw instead of
  percent-encoded stay percent-encoded, as werkzeug already keeps encoded ones that do not
  decode, instead of failing wherever `request.args` is first read.
- `refuse_control_characters` answers a query string holding a control character (NUL, escape
  codes, line breaks ...) in a name or a value with a 400 that says so, and a path holding one
  with a 404: no address of this site has one, and PostgreSQL cannot even store a NUL.
Forms are checked field by field in `forms.Form`, so the visitor keeps what they typed and sees
which field to correct.
"""

from __future__ import annotations

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" codec error handler
from flask import Flask, abort, request
from flask import Request as FlaskRequest
from flask_babel import gettext as _

from .errors import reject
from .text import has_control_characters


class Request(FlaskRequest):
    def __init__(self, environ, *args, **kwargs):
        super().__init__(environ, *args, **kwargs)
        try:
            self.query_string.decode()
        except UnicodeDecodeError:
            self.query_string = self.query_string.decode("utf-8", "werkzeug.url_quote").encode()


def refuse_control_characters() -> None:
    if has_control_characters(request.path):
        abort(404)
    for name, values in request.args.lists():
        if has_control_characters(name) or any(map(has_control_characters, values)):
            reject(
                400,
                _(
                    "The address contains control characters (such as a line break), which no "
                    "address of this site has. Check the link, or type the address again."
                ),
            )


def init_app(app: Flask) -> None:
    app.request_class = Request
    # First of all hooks, so no other one reads a value this refuses.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)
