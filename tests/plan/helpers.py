"""Building plan data for tests: events linked to measures, registrations, outcomes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from hytu_events.accounts.models import Role
from hytu_events.extensions import db
from hytu_events.models import AuditEntry, Measure, Registration, RegistrationStatus, User
from hytu_events.outcomes.event_measures import set_event_measures
from hytu_events.registrations.models import Language
from tests.helpers import csrf_token, make_event

PASSWORD = "kahvia ja pullaa 2026"
_serial = itertools.count(1)


def measure(code: str) -> Measure:
    return db.session.scalars(sa.select(Measure).where(Measure.code == code)).one()


def past_event(days_ago: int, municipalities, measures=(), **overrides):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)
    event = make_event(
        starts_at=start,
        municipalities=municipalities,
        title=overrides.pop("title", f"Menneet {next(_serial)}"),
        **overrides,
    )
    set_event_measures(event.id, [m.id for m in measures])
    db.session.commit()
    return event


def register(
    event,
    organisation=None,
    municipality=None,
    status=RegistrationStatus.CONFIRMED,
    name=None,
    email=None,
    **extra,
):
    n = next(_serial)
    now = datetime.now(UTC)
    registration = Registration(
        event_id=event.id,
        name=name or f"Osallistuja {n}",
        email=email or f"osallistuja{n}@example.fi",
        organisation_id=organisation.id if organisation else None,
        organisation_other=None if organisation else "Kyläyhdistys",
        municipality_id=municipality.id if municipality else None,
        language=Language.FI,
        consent_at=now,
        status=status,
        cancelled_at=now if status is RegistrationStatus.CANCELLED else None,
        **extra,
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def make_user(role=Role.COORDINATOR, email=None) -> User:
    user = User(email=email or f"{role.value}@example.fi", name=f"Test {role.value}", role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def log_in(client, user: User) -> None:
    page = client.get("/login?lang=en")
    response = client.post(
        "/login?lang=en",
        data={"csrf_token": csrf_token(page.text), "email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 303, response.status_code


def audit_entries(action: str) -> list[AuditEntry]:
    """The audit entries of one action, oldest first: what an operation recorded."""
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )
