"""Participants for tests, registered through the real operation (`register`)."""

from __future__ import annotations

from datetime import datetime

from hytu_events.extensions import db
from hytu_events.models import Event, Language, Registration
from hytu_events.registrations.operations import ParticipantDetails, register
from tests.helpers import municipality, organisation


def details(
    name: str,
    email: str,
    *,
    org: str | None = "lapin-amk",
    other: str | None = None,
    town: str | None = "rovaniemi",
    needs: str | None = None,
) -> ParticipantDetails:
    return ParticipantDetails(
        name=name,
        email=email,
        organisation_id=organisation(org).id if org else None,
        organisation_other=other,
        municipality_id=municipality(town).id if town else None,
        job_title=None,
        needs=needs,
        language=Language.FI,
    )


def register_person(
    event: Event, name: str, email: str, at: datetime | None = None, **kwargs
) -> Registration:
    """`at`: the moment of registering (by default now), e.g. before an event under way."""
    registration = register(event.id, details(name, email, **kwargs), now=at).registration
    db.session.commit()
    return registration


def register_people(
    event: Event, count: int, prefix: str = "Osallistuja", at: datetime | None = None
) -> list[Registration]:
    return [
        register_person(event, f"{prefix} {n}", f"{prefix.lower()}{n}@example.fi", at=at)
        for n in range(1, count + 1)
    ]
