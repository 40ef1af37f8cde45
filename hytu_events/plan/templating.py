"""What the plan gives every template: the measures an event serves (for the public event page)."""

from __future__ import annotations

from flask import Flask

from .queries import measures_of_event


def plan_measures_of_event(event_id: int):
    """For the public event page: the measures of the plan the event serves."""
    return measures_of_event(event_id)


def init_app(app: Flask) -> None:
    app.add_template_global(plan_measures_of_event)
