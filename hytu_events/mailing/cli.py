"""`flask mail send | worker | reminders`: the sender beside the web server."""

from __future__ import annotations

import signal
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import outage
from ..db.types import utcnow
from ..extensions import db
from ..registrations.link_requests import answer_link_requests
from ..registrations.retention import expire as expire_registrations
from .privacy import purge
from .reminders import enqueue_reminders
from .rounds import round_jobs
from .sender import deliver_due, due_count, smtp_configured


@click.group("mail")
def mail_group() -> None:
    """Deliver the outbox and queue reminders."""


def _send_once() -> bool:
    """One round of delivery; False (and a message) when there is no SMTP server.

    Requests for links made at /r/ are answered first, so their messages go in this round.
    """
    if answered := answer_link_requests(current_app.config["HYTU_MAIL_BATCH_SIZE"]):
        click.echo(f"Link requests answered: {answered}.")
    db.session.commit()
    if not smtp_configured():
        click.echo(
            f"No SMTP server configured (MAIL_SERVER is empty): {due_count()} message(s) "
            "stay in the outbox, readable at /admin/outbox."
        )
        return False
    report = deliver_due(current_app.config["HYTU_MAIL_BATCH_SIZE"])
    click.echo(
        f"Sent: {report.sent}, to retry later: {report.retrying}, failed: {report.failed}, "
        f"still due: {due_count()}."
    )
    return True


@mail_group.command("send")
@with_appcontext
def send_command() -> None:
    """Deliver what is due now, once."""
    _send_once()


@mail_group.command("reminders")
@with_appcontext
def reminders_command() -> None:
    """Queue the reminders of events starting soon (each place gets one)."""
    queued = enqueue_reminders()
    db.session.commit()
    click.echo(f"Reminders queued: {queued}.")


@mail_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete sent and failed messages past their retention time (the worker does this too)."""
    purged = purge()
    db.session.commit()
    click.echo(f"Old messages deleted: {purged}.")


@mail_group.command("worker")
@click.option("--interval", type=float, default=None, help="Seconds between rounds.")
@with_appcontext
def worker_command(interval: float | None) -> None:
    """Queue reminders and feedback requests, deliver mail, purge old messages and (hourly)
    anonymise registrations past their retention, until stopped (SIGTERM, Ctrl-C)."""
    interval = interval or current_app.config["HYTU_MAIL_POLL_SECONDS"]
    stop = threading.Event()

    def request_stop(signum, frame):
        click.echo("Stopping after this round.")
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    click.echo(f"Mail worker: a round every {interval:g} s.")
    retention_due = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() >= retention_due:
                # Planned retention of registrations: hourly is plenty for a limit in months.
                if expired := expire_registrations(utcnow()):
                    click.echo(f"Registrations past their retention anonymised: {expired}.")
                db.session.commit()
                retention_due = time.monotonic() + 3600
            queued = enqueue_reminders()
            db.session.commit()
            if queued:
                click.echo(f"Reminders queued: {queued}.")
            for job in round_jobs():  # feedback requests, queued before this round's delivery
                if done := job.run(utcnow()):
                    click.echo(f"{job.label}: {done}.")
                db.session.commit()
            _send_once()
            if purged := purge():
                click.echo(f"Old messages deleted: {purged}.")
            db.session.commit()
        except Exception as error:
            # A database hiccup must not end the worker; the next round tries again.
            db.session.rollback()
            if outage.unreachable(error):  # one line a round, not a traceback
                url = current_app.config["SQLALCHEMY_DATABASE_URI"]
                current_app.logger.warning(
                    "Mail worker: %s; trying again in %g s.", outage.describe(error, url), interval
                )
            else:
                current_app.logger.exception("Mail worker round failed")
        finally:
            db.session.remove()
        stop.wait(interval)
    click.echo("Mail worker stopped.")
