"""Demo events around today, so a new installation looks like the network at work.

Weekly virtual coffees, HYTU clinics in single municipalities, one workshop per sub-region,
a cancelled clinic and a draft; some past and some upcoming. Each says how many fictional
people register; registrations.demo registers them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..partners.models import Municipality, SubRegion
from ..partners.seed import MUNICIPALITIES
from .models import Event, EventKind, EventStatus

FINNISH_NAMES = {row[0]: row[1] for row in MUNICIPALITIES}

COFFEE_TOPICS = [
    "Arjen turvan tiekartta",
    "Hyvinvointikertomus ja HYTU-suunnitelma samaan pakettiin",
    "Kylien turvallisuus ja kyläturvallisuussuunnitelmat",
    "Nuorten päihteiden käytön ehkäisy",
    "Liikkumisen turvallisuus talvella",
    "Maahanmuuttajien tuki kunnissa",
    "Lasten, nuorten ja perheiden tuki",
    "Turvallinen kasvu- ja oppimisympäristö",
]

CLINIC_MUNICIPALITIES = [
    ("kemijarvi", -5),
    ("sodankyla", -3),
    ("tornio", -2),
    ("kittila", -1),
    ("ranua", 1),
    ("pello", 2),
    ("inari", 3),
    ("salla", 4),
    ("keminmaa", 6),
    ("utsjoki", 8),
]

SUB_REGIONS_FI = {
    SubRegion.EASTERN_LAPLAND: "Itä-Lappi",
    SubRegion.KEMI_TORNIO: "Kemi-Tornio",
    SubRegion.NORTHERN_LAPLAND: "Pohjois-Lappi",
    SubRegion.ROVANIEMI: "Rovaniemen seutu",
    SubRegion.TORNE_VALLEY: "Torniolaakso",
    SubRegion.FELL_LAPLAND: "Tunturi-Lappi",
}

#: week offset and venue of each sub-region's workshop
WORKSHOP_HOSTS = {
    SubRegion.EASTERN_LAPLAND: (-4, "Kemijärven kaupungintalo, Vapaudenkatu 8, Kemijärvi"),
    SubRegion.KEMI_TORNIO: (-1, "Kemin kulttuurikeskus, Marina Takalon katu 3, Kemi"),
    SubRegion.NORTHERN_LAPLAND: (2, "Sajos, Sámi kulttuurakeskus, Sajostie 1, Inari"),
    SubRegion.ROVANIEMI: (3, "Lapin liitto, Hallituskatu 20 B, Rovaniemi"),
    SubRegion.TORNE_VALLEY: (5, "Ylitornion kunnantalo, Alkkulanraitti 69, Ylitornio"),
    SubRegion.FELL_LAPLAND: (7, "Kittilän kunnantalo, Valtatie 15, Kittilä"),
}


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


#: What an event takes from its demo as it is: the fields named as its columns (the start,
#: the length and the municipalities are converted).
EVENT_COLUMNS = tuple(f.name for f in fields(DemoEvent) if f.name in Event.__table__.columns)


def _at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def demo_events(today: date, zone: ZoneInfo) -> list[DemoEvent]:
    monday = today - timedelta(days=today.weekday())
    events: list[DemoEvent] = []
    for week in range(-6, 9):
        topic = COFFEE_TOPICS[week % len(COFFEE_TOPICS)]
        events.append(
            DemoEvent(
                key=f"coffee-{week}",
                kind=EventKind.VIRTUAL_COFFEE,
                title=f"HYTU-virtuaalikahvit: {topic}",
                description=(
                    "Vapaamuotoinen puolen tunnin tuokio Teamsissa kuntien HYTE- ja "
                    f"turvallisuustyötä tekeville. Aiheena tällä kertaa: {topic.lower()}.\n\n"
                    "Ota kahvikuppi mukaan; kameran saa pitää kiinni."
                ),
                start=_at(monday + timedelta(weeks=week, days=2), 9, 0, zone),
                minutes=45,
                online_url="https://teams.example.fi/l/meetup-join/hytu-virtuaalikahvit",
                online_url_public=True,
                participants=0 if week > 0 else 6 + week % 5,
            )
        )
    for slug, week in CLINIC_MUNICIPALITIES:
        events.append(
            DemoEvent(
                key=f"clinic-{slug}",
                kind=EventKind.HYTU_CLINIC,
                title=f"HYTU-klinikka: {FINNISH_NAMES[slug]}",
                description=(
                    "Kunnan HYTU-työryhmä työstää yhdistettyä hyvinvointi- ja "
                    "turvallisuussuunnitelmaa yhdessä Lapin liiton, Lapin AVIn ja "
                    "turvallisuusverkoston asiantuntijoiden kanssa.\n\n"
                    "Ottakaa mukaan hyvinvointikertomuksen luonnos ja kunnan "
                    "turvallisuuskyselyn tulokset."
                ),
                start=_at(monday + timedelta(weeks=week, days=1), 9, 0, zone),
                minutes=180,
                municipalities=[slug],
                venue="Kunnantalo, valtuustosali",
                online_url="https://teams.example.fi/l/meetup-join/hytu-klinikka",
                capacity=15,
                asks_for_needs=True,
                participants=17 if slug == "ranua" else 9,
            )
        )
    for region, (week, venue) in WORKSHOP_HOSTS.items():
        events.append(
            DemoEvent(
                key=f"workshop-{region.value}",
                kind=EventKind.MUNICIPAL_WORKSHOP,
                title=f"Kuntien työpaja: {SUB_REGIONS_FI[region]}",
                description=(
                    "Seutukunnan kuntien yhteinen työpaja: turvallisuussuunnitelman "
                    "jalkauttaminen, yhteiset indikaattorit ja Arjen turvan tiekartta."
                ),
                start=_at(monday + timedelta(weeks=week, days=3), 12, 0, zone),
                minutes=210,
                municipalities=[row[0] for row in MUNICIPALITIES if row[4] is region],
                venue=venue,
                capacity=35,
                asks_for_needs=True,
                participants=14,
            )
        )
    events.append(
        DemoEvent(
            key="clinic-savukoski-cancelled",
            kind=EventKind.HYTU_CLINIC,
            title="HYTU-klinikka: Savukoski",
            description="Klinikka siirtyy kevääseen; uusi aika ilmoitetaan myöhemmin.",
            start=_at(monday + timedelta(weeks=2, days=4), 9, 0, zone),
            minutes=180,
            municipalities=["savukoski"],
            venue="Savukosken kunnantalo",
            capacity=15,
            status=EventStatus.CANCELLED,
            cancellation_reason="Kunnan HYTU-työryhmän pyynnöstä klinikka siirretään kevääseen.",
        )
    )
    events.append(
        DemoEvent(
            key="draft-directors",
            kind=EventKind.OTHER,
            title="Turvallisuusverkoston johtajakokous",
            description="Luonnos: esityslista tarkentuu.",
            start=_at(monday + timedelta(weeks=10, days=3), 13, 0, zone),
            minutes=120,
            venue="Lapin liitto, Hallituskatu 20 B, Rovaniemi",
            status=EventStatus.DRAFT,
        )
    )
    return events


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
