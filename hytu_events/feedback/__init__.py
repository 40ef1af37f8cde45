"""Feedback after each event: asked once through the outbox, answered anonymously, counted
against the plan's measures the event serves."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The public form and the back-office settings; `flask feedback`; the mail worker's
    round asks too; the person's data includes being asked; pages below (the outcome page,
    series) read the results through template globals."""
    from ..mailing.rounds import RoundJob, every_round
    from . import privacy, results
    from .asking import send_feedback_requests
    from .cli import feedback_group
    from .setting_views import bp as admin_bp
    from .views import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(feedback_group)
    privacy.register()
    every_round(RoundJob("Feedback requests queued", send_feedback_requests))
    app.add_template_global(results.results_of_event, "feedback_results")
    app.add_template_global(results.trend_of_dates, "feedback_trend")
    app.add_template_global(results.helped_values)
    app.add_template_global(results.average_shown, "feedback_average")
    app.add_template_filter(results.trend_point, "feedback_trend_point")
    app.add_template_filter(results.measure_share, "feedback_measure_share")
    app.add_template_filter(results.row_average, "feedback_row_average")
