"""The public summary of the network's work: figures only, never personal data."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from .filters import parse_dashboard_filter
from .presentation import dashboard_context
from .queries import measures_of_event

bp = Blueprint("plan_public", __name__)


@bp.get("/summary")
def summary():
    context = dashboard_context(parse_dashboard_filter(request.args))
    return render_template("plan/summary.html", **context)


@bp.app_template_global("plan_measures_of_event")
def _measures_of_event(event_id: int):
    """For the public event page: the measures of the plan the event serves."""
    return measures_of_event(event_id)


@bp.app_template_filter("plan_date")
def _plan_date(value) -> str:
    from flask_babel import format_date

    return format_date(value, "short")
