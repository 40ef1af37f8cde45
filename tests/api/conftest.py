"""Rows for the API's tests: the demo data `flask seed --demo` makes (events of every kind, a
cancelled one and a draft, a series with a cancelled and a moved date, people registered,
outcomes), so every operation answers with real rows."""

from __future__ import annotations

import pytest

from hytu_events.cli import seed_demo_events
from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.local_time import zone
from hytu_events.outcomes.demo import link_demo_events, record_demo_outcomes
from hytu_events.plan.seed import seed_plan


@pytest.fixture
def app_config() -> dict:
    # The API's own limit has its test (test_limits.py); here requests come by the hundred.
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def demo(app) -> None:
    seed_plan()
    seed_demo_events(zone(), utcnow())
    link_demo_events()
    record_demo_outcomes(utcnow(), zone())
    db.session.commit()
