"""The public summary of the network's work: figures only, never personal data."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from .filters import parse_dashboard_filter
from .presentation import dashboard_context

bp = Blueprint("summary", __name__)


@bp.get("/summary")
def index():
    context = dashboard_context(parse_dashboard_filter(request.args))
    return render_template("reporting/summary.html", **context)
