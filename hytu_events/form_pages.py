"""The common course of a back-office form page, so each view says only what is its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import redirect, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from .extensions import db

T = TypeVar("T")


def form_page(
    form: FlaskForm,
    template: str,
    save: Callable[[], T],
    *,
    saved: Callable[[T], Any],
    next_url: str,
    invalid_status: int = 422,
    **context: Any,
) -> ResponseReturnValue:
    """On a valid submit, `save()` runs, the session commits, `saved(result)` tells the user
    (a flash) and the browser goes to `next_url` with a 303, so reloading does not post again.
    Otherwise the form is shown, again with its errors and `invalid_status` after a submit."""
    if form.validate_on_submit():
        result = save()
        db.session.commit()
        saved(result)
        return redirect(next_url, code=303)
    return render_template(template, form=form, **context), invalid_status if form.errors else 200
