"""`flask seed`: reference data, and demo events for a living first look."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .db.types import utcnow
from .extensions import db


def _progress(label: str):
    def wrap(items):
        items = list(items)
        with click.progressbar(items, label=label, show_pos=True) as bar:
            yield from bar

    return wrap


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also add demo events around today.")
@with_appcontext
def seed_command(demo: bool) -> None:
    """Load Lapland's municipalities and organisations (safe to run again)."""
    from .events.demo import seed_demo_events
    from .partners.seed import seed_reference_data
    from .plan.demo import link_demo_events, record_demo_outcomes
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


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
    from .accounts.cli import users_group

    app.cli.add_command(users_group)
    from .plan.cli import plan_group

    app.cli.add_command(plan_group)
    from .registrations.cli import privacy_group

    app.cli.add_command(privacy_group)
