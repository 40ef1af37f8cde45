"""The dashboard runs a fixed number of queries however many events and registrations exist."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask

from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.models import (
    Event,
    Municipality,
    Organisation,
    Outcome,
    Registration,
    event_measures,
    event_municipalities,
)
from hytu_events.outcomes.models import FollowUp
from hytu_events.plan.models import Measure
from hytu_events.plan.seed import seed_plan
from hytu_events.reporting.dashboard import DashboardFilter, build_dashboard
from hytu_events.reporting.reports import report_table
from tests.helpers import counting_queries

ZONE = ZoneInfo("Europe/Helsinki")


def bulk_insert(events: int, registrations: int, first_id: int) -> None:
    """Past published events with municipalities, measures, outcomes and registrations (Core)."""
    rng = random.Random(events)
    municipality_ids = list(db.session.scalars(sa.select(Municipality.id)))
    organisation_ids = list(db.session.scalars(sa.select(Organisation.id)))
    measure_ids = list(db.session.scalars(sa.select(Measure.id)))
    now = datetime.now(UTC).replace(microsecond=0)
    ids = range(first_id, first_id + events)
    rows = []
    for event_id in ids:
        start = now - timedelta(days=rng.randrange(1, 700), hours=rng.randrange(24))
        rows.append(
            dict(
                id=event_id,
                kind="hytu_clinic",
                title=f"Tapahtuma {event_id}",
                description="",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                status="published",
                calendar_uid=f"bulk-{event_id}",
                revision=0,
                auto_promote=True,
                asks_for_needs=False,
                online_url_public=False,
                created_at=now,
                updated_at=now,
            )
        )
    db.session.execute(sa.insert(Event), rows)
    db.session.execute(
        sa.insert(event_municipalities),
        [dict(event_id=e, municipality_id=rng.choice(municipality_ids)) for e in ids],
    )
    db.session.execute(
        sa.insert(event_measures),
        [dict(event_id=e, measure_id=rng.choice(measure_ids)) for e in ids],
    )
    db.session.execute(
        sa.insert(Outcome),
        [
            dict(
                id=e,
                event_id=e,
                summary="",
                agreements="",
                recorded_at=now,
                manual_attendance=rng.choice([None, 12]),
            )
            for e in ids[::3]
        ],
    )
    db.session.execute(
        sa.insert(FollowUp),
        [
            dict(outcome_id=e, what="Jatko", who="", status=rng.choice(["open", "done"]))
            for e in ids[::3]
        ],
    )
    db.session.execute(
        sa.insert(Registration),
        [
            dict(
                event_id=rng.choice(ids),
                name="X",
                email=f"p{first_id}-{n}@example.fi",
                organisation_id=rng.choice(organisation_ids),
                municipality_id=rng.choice(municipality_ids),
                language="fi",
                consent_at=now,
                status="confirmed",
                created_at=now,
                updated_at=now,
            )
            for n in range(registrations)
        ],
    )
    db.session.commit()


def queries_for_dashboard() -> int:
    db.session.expire_all()
    with counting_queries() as statements:
        build_dashboard(DashboardFilter(), utcnow(), ZONE)
        build_dashboard(DashboardFilter(year=utcnow().year, sub_region=None), utcnow(), ZONE)
        report_table("outcomes", DashboardFilter(), utcnow(), ZONE)
    return len(statements)


def test_dashboard_queries_do_not_grow_with_data(app: Flask):
    seed_plan()
    db.session.commit()
    bulk_insert(events=10, registrations=100, first_id=100_000)
    small = queries_for_dashboard()
    small_events = build_dashboard(DashboardFilter(), utcnow(), ZONE).events_held
    bulk_insert(events=1000, registrations=10_000, first_id=200_000)
    large = queries_for_dashboard()
    large_figures = build_dashboard(DashboardFilter(), utcnow(), ZONE)
    assert (small_events, large_figures.events_held) == (10, 1010)
    assert large_figures.participants > 1000  # the data really is there
    assert large == small, f"{small} queries with 10 events, {large} with 1,010"
