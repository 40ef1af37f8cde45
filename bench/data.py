"""The data the benchmarks run on: an app on a database of their own, emptied and filled."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from hytu_events import create_app
from hytu_events.extensions import db
from hytu_events.models import Event, EventKind, EventStatus, Municipality
from hytu_events.partners.seed import seed_reference_data


def make_app(url: str, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            **config,
        }
    )


def empty_tables():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    seed_reference_data()
    db.session.commit()


#: A description as coordinators write them: a few sentences, some of them long.
DESCRIPTION = (
    "Kunnan HYTU-työryhmä ja alueen asiantuntijat käyvät läpi hyvinvointi- ja "
    "turvallisuussuunnitelman tilanteen, kuntalaisten palautteen ja seuraavat askeleet.\n\n"
    "Mukana Lapin pelastuslaitos, poliisi ja hyvinvointialue; kahvitarjoilu, "
    "ilmoittautuminen viikkoa ennen."
)


def add_events(count: int, *, described: bool = False) -> list[int]:
    """`count` published events from tomorrow, an hour apart; `described` gives each the
    description, venue and (for virtual coffees) meeting link that real ones have."""
    municipalities = list(db.session.scalars(sa.select(Municipality)))
    start = datetime.now(UTC) + timedelta(days=1)
    events = []
    for n in range(count):
        kind = list(EventKind)[n % 4]
        event = Event(
            kind=kind,
            title=f"Tapahtuma {n}" if not described else f"{kind.name.title()} {n}: Rovaniemi",
            description=DESCRIPTION if described else "",
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n, minutes=90),
            venue="Kunnantalo" if not described else "Rovaniemen kaupungintalo, sali 2",
            online_url=(
                f"https://teams.example.fi/meet/{n}"
                if described and kind is EventKind.VIRTUAL_COFFEE
                else None
            ),
            online_url_public=True,
            capacity=30,
            status=EventStatus.PUBLISHED,
            municipalities=[municipalities[n % len(municipalities)]],
        )
        events.append(event)
    db.session.add_all(events)
    db.session.commit()
    return [e.id for e in events]


def timed(fn, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def count_queries(app, fn) -> int:
    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(1)  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return len(seen)
