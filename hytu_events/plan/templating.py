"""What the plan gives every template: the measures an event serves (for the public event page),
and dates and figures as the reader's language writes them (for the plan's pages and those of
outcomes and reporting above it)."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_decimal

from .queries import measures_of_event


def plan_measures_of_event(event_id: int):
    """For the public event page: the measures of the plan the event serves."""
    return measures_of_event(event_id)


def plan_date(value) -> str:
    return format_date(value, "short")


def plan_number(value) -> str:
    """A figure as the reader's language writes it: 12,5 in Finnish, 12.5 in English."""
    return format_decimal(value, format="#,##0.##")


def init_app(app: Flask) -> None:
    app.add_template_global(plan_measures_of_event)
    app.add_template_filter(plan_date)
    app.add_template_filter(plan_number)
