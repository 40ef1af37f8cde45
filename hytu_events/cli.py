"""`flask seed`: reference data, and demo events for a living first look; how every command
ends when the database is down or a setting is missing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .config import ConfigurationError
from .db import outage
from .db.types import utcnow
from .extensions import db


class CommandError(click.ClickException):
    """One line on standard error ("Error: ...") and exit status 2, as every refusal ends."""

    exit_code = 2


def report_failures_in_one_line(app: Flask) -> None:
    """A database that cannot be reached, or a setting the app cannot start without, ends any
    `flask` command with one line and exit status 2 instead of a traceback.

    One place covers every command, Flask-Migrate's `db` too, which comes from an entry point
    and runs through no group of ours: each command loads the app (so comes here) inside the
    outermost click context, and click hands that context's resources the exception that
    ends it."""
    context = click.get_current_context(silent=True)
    if context is not None:  # not under gunicorn, nor in tests that build the app themselves
        context.find_root().with_resource(_failures_in_one_line(app))


@contextmanager
def _failures_in_one_line(app: Flask) -> Iterator[None]:
    try:
        yield
    except ConfigurationError as error:
        raise CommandError(str(error)) from error
    except Exception as error:
        if not outage.unreachable(error):
            raise  # a bug: its traceback is what a developer needs
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        raise CommandError(outage.describe(error, url)) from error


def _progress(label: str):
    def wrap(items):
        items = list(items)
        with click.progressbar(items, label=label, show_pos=True) as bar:
            yield from bar

    return wrap


def seed_demo_events(
    zone: ZoneInfo, now: datetime, progress: Callable[[Iterable], Iterable] = lambda x: x
) -> int:
    """The demo events (events.demo) and their fictional participants (registrations.demo),
    and the demo series (series.demo) with its own (series.demo_registrations), composed here,
    above them; returns how many events were added."""
    from .events import demo as event_demo
    from .registrations import demo as registration_demo
    from .series import demo as series_demo

    added = event_demo.seed_demo_events(zone, now, progress)
    registration_demo.seed_demo_participants(added)
    from .series import demo_registrations as series_registration_demo

    series = series_demo.seed_demo_series(zone, now)
    if series is None:
        return len(added)
    series_registration_demo.register_demo_people(series, now)
    return len(added) + len(series.dates)


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also add demo events around today.")
@with_appcontext
def seed_command(demo: bool) -> None:
    """Load Lapland's municipalities and organisations (safe to run again)."""
    from .feedback.demo import record_demo_feedback
    from .outcomes.demo import link_demo_events, record_demo_outcomes
    from .partners.seed import seed_reference_data
    from .plan.seed import seed_plan

    created = seed_reference_data(_progress("Municipalities and organisations"))
    db.session.commit()
    click.echo(
        f"Municipalities added: {created['municipalities']}, "
        f"organisations added: {created['organisations']}."
    )
    plan_added = seed_plan()
    db.session.commit()
    click.echo(
        f"Plan: measures added: {plan_added['measures']}, indicators added: "
        f"{plan_added['indicators']}, municipalities tracked: {plan_added['statuses']}."
    )
    if demo:
        zone = ZoneInfo(current_app.config["HYTU_TIMEZONE"])
        added = seed_demo_events(zone, utcnow(), _progress("Demo events"))
        db.session.commit()
        click.echo(f"Demo events added: {added}.")
        links = link_demo_events()
        outcomes = record_demo_outcomes(utcnow(), zone)
        db.session.commit()
        click.echo(f"Demo events linked to measures: {links}, outcomes recorded: {outcomes}.")
        answers = record_demo_feedback(utcnow())
        db.session.commit()
        click.echo(f"Demo feedback answers: {answers}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
    from .accounts.cli import users_group

    app.cli.add_command(users_group)
    from .plan.cli import plan_group

    app.cli.add_command(plan_group)
    from .registrations.cli import privacy_group

    app.cli.add_command(privacy_group)
