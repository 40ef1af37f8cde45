"""Demo events around today, so a new installation looks like the network at work.

`demo.toml` beside this module describes them: weekly virtual coffees, HYTU clinics in single
municipalities, one workshop per sub-region, a cancelled clinic and a draft; some past and some
upcoming. Each says how many fictional people register; registrations.demo registers them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..partners.models import Municipality, SubRegion
from ..partners.seed import MUNICIPALITIES
from ..translated import EVENT_TRANSLATIONS
from .models import Event, EventKind, EventStatus

FINNISH_NAMES = {row[0]: row[1] for row in MUNICIPALITIES}
#: The Swedish name where the municipality has one, else the Finnish one.
SWEDISH_NAMES = {row[0]: row[2] or row[1] for row in MUNICIPALITIES}


@dataclass
class DemoEvent:
    key: str
    kind: EventKind
    title: str
    description: str
    start: datetime
    minutes: int
    municipalities: list[str] = field(default_factory=list)
    venue: str | None = None
    online_url: str | None = None
    online_url_public: bool = False
    capacity: int | None = None
    asks_for_needs: bool = False
    status: EventStatus = EventStatus.PUBLISHED
    cancellation_reason: str | None = None
    #: How many fictional people register (registrations.demo), the first `capacity` confirmed.
    participants: int = 0
    title_sv: str | None = None
    title_en: str | None = None
    description_sv: str | None = None
    description_en: str | None = None


#: What an event takes from its demo as it is: the fields named as its columns (the start,
#: the length and the municipalities are converted).
EVENT_COLUMNS = tuple(f.name for f in fields(DemoEvent) if f.name in Event.__table__.columns)
DEMO_FIELDS = frozenset(f.name for f in fields(DemoEvent))


@cache
def _demo_file() -> dict[str, Any]:
    with resources.files(__package__).joinpath("demo.toml").open("rb") as file:
        return tomllib.load(file)


def _template(kind: str) -> dict[str, Any]:
    """A kind's table of the file without its lists (the dates it makes come from those)."""
    return {k: v for k, v in _demo_file()[kind].items() if k not in ("weeks", "topics", "hosts")}


def _demo(monday: date, zone: ZoneInfo, row: dict[str, Any]) -> DemoEvent:
    """A demo from its row: its week, weekday and time of day become its start."""
    day = monday + timedelta(weeks=row["week"], days=row["weekday"])
    start = datetime.combine(day, time.fromisoformat(row["at"]), tzinfo=zone)
    values = {k: v for k, v in row.items() if k in DEMO_FIELDS}
    values["kind"] = EventKind(values["kind"])
    values["status"] = EventStatus(values.get("status", EventStatus.PUBLISHED))
    return DemoEvent(start=start, **values)


def _texts(template: dict[str, Any], **names: str) -> dict[str, str]:
    """The template's titles (Finnish and any translations) and its translated descriptions,
    with `names` filled in."""
    keys = ("title", *EVENT_TRANSLATIONS)
    return {key: template[key].format(**names) for key in keys if key in template}


def _rows() -> list[dict[str, Any]]:
    file = _demo_file()
    rows = []
    coffee, topics = _template("coffees"), file["coffees"]["topics"]
    first, last = file["coffees"]["weeks"]
    for week in range(first, last + 1):
        topic = topics[week % len(topics)]
        rows.append(
            coffee
            | {
                "key": f"coffee-{week}",
                "kind": EventKind.VIRTUAL_COFFEE,
                "week": week,
                "title": coffee["title"].format(topic=topic),
                "description": coffee["description"].format(topic_lower=topic.lower()),
                # Past coffees had a few people each; nobody has registered for later ones yet.
                "participants": 0 if week > 0 else 6 + week % 5,
            }
        )
    clinic = _template("clinics")
    for host in file["clinics"]["hosts"]:
        slug = host["municipality"]
        rows.append(
            clinic
            | host
            | {
                "key": f"clinic-{slug}",
                "kind": EventKind.HYTU_CLINIC,
                **_texts(
                    clinic, municipality=FINNISH_NAMES[slug], municipality_sv=SWEDISH_NAMES[slug]
                ),
                "municipalities": [slug],
            }
        )
    workshop = _template("workshops")
    for host in file["workshops"]["hosts"]:
        region = SubRegion(host["sub_region"])
        rows.append(
            workshop
            | host
            | {
                "key": f"workshop-{region.value}",
                "kind": EventKind.MUNICIPAL_WORKSHOP,
                **_texts(workshop, region=host["region"]),
                "municipalities": [row[0] for row in MUNICIPALITIES if row[4] is region],
            }
        )
    return rows + file["events"]


def demo_events(today: date, zone: ZoneInfo) -> list[DemoEvent]:
    monday = today - timedelta(days=today.weekday())
    return [_demo(monday, zone, row) for row in _rows()]


def seed_demo_events(
    zone: ZoneInfo, now: datetime, progress: Callable[[Iterable], Iterable] = lambda x: x
) -> list[tuple[Event, DemoEvent]]:
    """Add the demo events that are not there yet; returns those added, each with its demo
    (registrations.demo gives them their fictional participants)."""
    municipalities = {m.slug: m for m in db.session.scalars(sa.select(Municipality))}
    existing = set(
        db.session.scalars(sa.select(Event.calendar_uid).where(Event.calendar_uid.like("demo-%")))
    )
    added = []
    for demo in progress(demo_events(now.astimezone(zone).date(), zone)):
        uid = f"demo-{demo.key}@hytu-events"
        if uid in existing:
            continue
        start = demo.start.astimezone(ZoneInfo("UTC"))
        event = Event(
            **{name: getattr(demo, name) for name in EVENT_COLUMNS},
            calendar_uid=uid,
            starts_at=start,
            ends_at=start + timedelta(minutes=demo.minutes),
            municipalities=[municipalities[slug] for slug in demo.municipalities],
            created_at=min(now, start) - timedelta(days=21),
        )
        db.session.add(event)
        db.session.flush()
        added.append((event, demo))
    db.session.flush()
    return added
