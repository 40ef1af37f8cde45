"""`flask feedback send`: ask everyone due for feedback, once (the mail worker does it on
schedule)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from ..extensions import db
from .asking import send_feedback_requests


class CommandError(click.ClickException):
    exit_code = 2


def _progress(items):
    items = list(items)
    with click.progressbar(items, label="Feedback requests", show_pos=True) as bar:
        yield from bar


@click.group("feedback")
def feedback_group() -> None:
    """Feedback requests after events."""


@feedback_group.command("send")
@click.option(
    "--now",
    "now_text",
    default=None,
    metavar="TIME",
    help="Act as if it were this time (ISO 8601 with a zone, e.g. 2026-12-01T18:00+02:00).",
)
@with_appcontext
def send_command(now_text: str | None) -> None:
    """Queue a feedback request to each participant of the events that ended a while ago
    and have not been asked (each person is asked once)."""
    now = None
    if now_text is not None:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError:
            raise CommandError(
                f"--now {now_text!r} is not a time: write it as 2026-12-01T18:00+02:00."
            ) from None
        if now.tzinfo is None:
            raise CommandError(f"--now {now_text!r} has no time zone: add one, e.g. +02:00.")
    asked = send_feedback_requests(now, _progress)
    db.session.commit()
    click.echo(f"Feedback requests queued: {asked}.")
