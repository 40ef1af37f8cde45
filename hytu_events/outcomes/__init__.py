"""Event outcomes against the plan's measures, attendance and follow-ups."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Tell the plan below what outcomes keep of it: a measure an outcome records is not
    deleted, and a figure an outcome produced links to its event. Tell series how many took
    part in each date, and give them the page of the measures a series' dates serve."""
    from ..plan import editing
    from ..series import attendance
    from . import series_measures
    from .attendance import participants_of_events
    from .outcomes import event_ids_of_outcomes, outcomes_recording

    editing.count_outcomes_with(outcomes_recording)
    attendance.count_participants_with(participants_of_events)
    app.add_template_global(event_ids_of_outcomes)
    app.register_blueprint(series_measures.bp)
