"""`flask seed --demo`: demo events linked to measures, and outcomes for some past ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..events.models import Event, EventKind, EventStatus
from ..extensions import db
from ..partners.models import Municipality
from ..plan.models import Measure, MunicipalPlanStatus, event_measures
from .models import FollowUpStatus, Outcome
from .outcomes import FollowUpInput, OutcomeInput, StatusMove, record_outcome

KIND_MEASURES = {
    EventKind.HYTU_CLINIC: ["T1", "T4"],
    EventKind.MUNICIPAL_WORKSHOP: ["T2", "T4", "T5"],
    EventKind.VIRTUAL_COFFEE: ["T3"],
}

#: A word in a coffee's title -> the measure its topic serves.
TOPIC_MEASURES = {
    "tiekartta": "T5",
    "Kylien": "T6",
    "päihteiden": "T7",
    "Liikkumisen": "T8",
    "HYTU-suunnitelma": "T1",
}

#: Clinics whose municipality moved to "draft ready" (demo).
DRAFT_READY_AFTER = {"kemijarvi", "sodankyla"}


def link_demo_events() -> int:
    """Link each demo event to the measures it serves; returns how many links were added."""
    measures = {m.code: m.id for m in db.session.scalars(sa.select(Measure))}
    events = db.session.scalars(sa.select(Event).where(Event.calendar_uid.like("demo-%")))
    existing = {
        (row.event_id, row.measure_id) for row in db.session.execute(sa.select(event_measures))
    }
    added = 0
    for event in events:
        codes = list(KIND_MEASURES.get(event.kind, []))
        codes += [code for word, code in TOPIC_MEASURES.items() if word in event.title]
        for code in dict.fromkeys(codes):
            if code in measures and (event.id, measures[code]) not in existing:
                db.session.execute(
                    sa.insert(event_measures).values(event_id=event.id, measure_id=measures[code])
                )
                added += 1
    return added


def record_demo_outcomes(now: datetime, zone: ZoneInfo) -> int:
    """Outcomes for past clinics and workshops and every other past coffee."""
    measures = {m.code: m.id for m in db.session.scalars(sa.select(Measure))}
    municipality_ids = {m.slug: m.id for m in db.session.scalars(sa.select(Municipality))}
    past = db.session.scalars(
        sa.select(Event)
        .where(Event.calendar_uid.like("demo-%"), Event.status == EventStatus.PUBLISHED)
        .where(Event.ends_at <= now)
        .where(~sa.exists().where(Outcome.event_id == Event.id))
        .order_by(Event.starts_at)
    ).all()
    added = 0
    for event in past:
        if event.kind is EventKind.VIRTUAL_COFFEE and event.starts_at.isocalendar().week % 2:
            continue  # left for the coordinator home's "needs an outcome" list
        linked = db.session.scalars(
            sa.select(event_measures.c.measure_id).where(event_measures.c.event_id == event.id)
        ).all()
        data = OutcomeInput(
            summary="Käytiin läpi kunnan tilannekuva ja HYTU-suunnitelman seuraavat vaiheet.",
            agreements="Työryhmä kokoontuu uudelleen kuukauden kuluttua.",
            measures={mid: "Edistetty tapahtumassa." for mid in linked},
            follow_ups=[
                FollowUpInput(
                    what="Lähetetään muistio ja materiaalit osallistujille",
                    who="Lapin liitto",
                    due_on=(event.ends_at + timedelta(days=7)).date(),
                    status=FollowUpStatus.DONE,
                ),
                FollowUpInput(
                    what="Täydennetään suunnitelmaluonnoksen indikaattorit",
                    who="Kunnan HYTE-koordinaattori",
                    due_on=(event.ends_at + timedelta(days=30)).date(),
                ),
            ],
        )
        if event.kind is EventKind.VIRTUAL_COFFEE:
            data.follow_ups = data.follow_ups[:1]
            data.measures = {mid: "" for mid in linked} or {measures["T3"]: ""}
        for municipality in event.municipalities:
            if event.kind is EventKind.HYTU_CLINIC and municipality.slug in DRAFT_READY_AFTER:
                data.status_moves.append(
                    StatusMove(
                        municipality_ids[municipality.slug],
                        MunicipalPlanStatus.DRAFT_READY,
                        "Luonnos valmis klinikan jälkeen.",
                    )
                )
        record_outcome(event, data, now=now, zone=zone)
        added += 1
    return added
