"""Event outcomes against the plan's measures, attendance and follow-ups."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Tell the plan below what outcomes keep of it: a measure an outcome records is not
    deleted, and a figure an outcome produced links to its event."""
    from ..plan import editing
    from .outcomes import event_ids_of_outcomes, outcomes_recording

    editing.count_outcomes_with(outcomes_recording)
    app.add_template_global(event_ids_of_outcomes)
