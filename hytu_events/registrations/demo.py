"""Fictional participants of the demo events (events.demo), so a new installation shows full
events, waiting lists and the participants' pages at work."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from ..events.demo import DemoEvent
from ..events.models import Event
from ..extensions import db
from ..partners.models import Municipality, Organisation
from .models import Language, Registration, RegistrationStatus

FIRST_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Juhani",
    "Kaisa",
    "Lauri",
    "Maija",
    "Niilo",
    "Outi",
    "Pekka",
    "Riikka",
    "Sami",
    "Tuula",
    "Ville",
    "Anni",
    "Elina",
    "Jouni",
    "Marja",
    "Antti",
    "Hanna",
]
LAST_NAMES = [
    "Aikio",
    "Heikkilä",
    "Jääskö",
    "Kangas",
    "Lehtola",
    "Magga",
    "Niemelä",
    "Ojala",
    "Pokka",
    "Rautio",
    "Salmela",
    "Tapio",
    "Valle",
    "Ylitalo",
    "Keskitalo",
    "Näkkäläjärvi",
]


def _participants(rng: random.Random, count: int, organisations, municipalities):
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        yield (
            f"{first} {last}",
            f"{first}.{last}.{rng.randrange(1000)}@example.fi".lower(),
            rng.choice(organisations),
            rng.choice(municipalities),
        )


def seed_demo_participants(added: list[tuple[Event, DemoEvent]]) -> int:
    """Register the people of demo events just added (`events.demo.seed_demo_events`), in
    their order: the names come from one seeded sequence, so every installation gets the same.
    Returns how many places were added."""
    rng = random.Random(2020)
    municipalities = {m.slug: m for m in db.session.scalars(sa.select(Municipality))}
    organisations = list(db.session.scalars(sa.select(Organisation).order_by(Organisation.id)))
    places = 0
    for event, demo in added:
        seen: set[str] = set()
        home = [municipalities[slug] for slug in demo.municipalities] or list(
            municipalities.values()
        )
        for index, (name, email, organisation, municipality) in enumerate(
            _participants(rng, demo.participants, organisations, home)
        ):
            if email in seen:
                continue
            seen.add(email)
            created = event.created_at + timedelta(hours=index + 1)
            has_seat = demo.capacity is None or index < demo.capacity
            db.session.add(
                Registration(
                    event_id=event.id,
                    name=name,
                    email=email,
                    organisation_id=organisation.id,
                    municipality_id=municipality.id,
                    language=Language.FI,
                    consent_at=created,
                    created_at=created,
                    status=RegistrationStatus.CONFIRMED
                    if has_seat
                    else RegistrationStatus.WAITLISTED,
                )
            )
            places += 1
    db.session.flush()
    return places
