"""`flask privacy expire`: anonymise registrations past their retention time."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db.types import utcnow
from ..extensions import db
from .retention import expire, expired_count, retention_cutoff


@click.group("privacy")
def privacy_group() -> None:
    """Planned retention of personal data."""


def _progress(registrations: list):
    with click.progressbar(registrations, label="Anonymising registrations", show_pos=True) as bar:
        yield from bar


@privacy_group.command("expire")
@click.option("--dry-run", is_flag=True, help="Only count what would be anonymised.")
@with_appcontext
def expire_command(dry_run: bool) -> None:
    """Anonymise registrations of events that ended more than
    HYTU_REGISTRATION_RETENTION_MONTHS ago (the mail worker does this hourly)."""
    now = utcnow()
    months = current_app.config["HYTU_REGISTRATION_RETENTION_MONTHS"]
    cutoff = retention_cutoff(now).date().isoformat()
    if dry_run:
        count = expired_count(now)
        click.echo(
            f"{count} registration(s) of events that ended before {cutoff} would be anonymised."
        )
        return
    count = expire(now, _progress)
    db.session.commit()
    click.echo(
        f"Anonymised {count} registration(s) of events that ended before {cutoff} "
        f"(retention {months} months)."
    )
