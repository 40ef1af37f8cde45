"""The public summary of the network's work: figures only, never personal data."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import format_date, format_decimal

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
    return format_date(value, "short")


@bp.app_template_filter("plan_number")
def _plan_number(value) -> str:
    """A figure as the reader's language writes it: 12,5 in Finnish, 12.5 in English."""
    return format_decimal(value, format="#,##0.##")
