"""Every dashboard figure against counts made here, independently, from the raw rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.models import (
    Event,
    EventKind,
    EventStatus,
    IndicatorValue,
    Measure,
    Municipality,
    MunicipalPlanStatusChange,
    Organisation,
    Outcome,
    Registration,
    RegistrationStatus,
    event_measures,
)
from hytu_events.outcomes.models import FollowUpStatus
from hytu_events.outcomes.outcomes import (
    FollowUpInput,
    IndicatorInput,
    OutcomeInput,
    StatusMove,
    events_needing_outcomes,
    record_outcome,
)
from hytu_events.partners.models import SubRegion
from hytu_events.plan.models import Indicator, MunicipalPlanStatus
from hytu_events.plan.seed import seed_plan
from hytu_events.reporting.dashboard import DashboardFilter, build_dashboard
from tests.helpers import municipality, organisation
from tests.plan.helpers import measure, past_event, register

ZONE = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def plan_data(app: Flask):
    """A year of the network's work: clinics, a workshop, a coffee, and events not to count."""
    seed_plan()
    db.session.commit()
    m = municipality
    o = organisation
    clinic = past_event(40, [m("kemijarvi")], [measure("T1"), measure("T4")])
    register(clinic, o("lapin-avi"), m("kemijarvi"))
    register(clinic, o("lapin-poliisilaitos"), m("kemijarvi"))
    register(clinic, None, None)  # an organisation not on the list, region-wide
    register(clinic, o("lapin-amk"), m("posio"), RegistrationStatus.WAITLISTED)
    register(clinic, o("spek"), m("salla"), RegistrationStatus.CANCELLED)
    workshop = past_event(
        10,
        [m("kemi"), m("tornio")],
        [measure("T2"), measure("T4")],
        kind=EventKind.MUNICIPAL_WORKSHOP,
        capacity=None,
    )
    register(workshop, o("lapin-liitto"), m("kemi"))  # the chair: not one of the 16
    register(workshop, o("spr-lapin-piiri"), m("tornio"))
    register(workshop, o("spr-lapin-piiri"), m("simo"))
    coffee = past_event(5, [], [measure("T3")], kind=EventKind.VIRTUAL_COFFEE, venue=None)
    register(coffee, o("lapin-yliopisto"), m("rovaniemi"))
    register(coffee, o("lapin-yliopisto"), m("rovaniemi"))
    last_year = past_event(400, [m("ranua")], [measure("T1")])
    register(last_year, o("lapin-avi"), m("ranua"))
    # Not held: a draft, a future event, a cancelled one.
    draft = past_event(3, [m("inari")], [measure("T1")], status=EventStatus.DRAFT)
    register(draft, o("lapin-avi"), m("inari"))
    future = past_event(-10, [m("inari")], [measure("T1")])
    register(future, o("lapin-avi"), m("inari"))
    past_event(
        20,
        [m("salla")],
        [measure("T1")],
        status=EventStatus.CANCELLED,
        cancellation_reason="Siirretty",
    )
    now = utcnow()
    record_outcome(
        clinic,
        OutcomeInput(
            summary="Suunnitelman rakenne sovittiin.",
            measures={measure("T1").id: "Luonnos etenee", measure("T6").id: "Kylät mukaan"},
            follow_ups=[
                FollowUpInput("Muistio", "Lapin liitto", status=FollowUpStatus.DONE),
                FollowUpInput("Indikaattorit", "Kunta", due_on=date.today() + timedelta(30)),
            ],
            indicator_values=[
                IndicatorInput(
                    db.session.scalar(
                        sa.select(Indicator.id).where(Indicator.code == "hytu-plans")
                    ),
                    now.year,
                    1.0,
                ),
            ],
            status_moves=[StatusMove(m("kemijarvi").id, MunicipalPlanStatus.DRAFT_READY)],
        ),
        now=now,
    )
    record_outcome(
        workshop,
        OutcomeInput(
            manual_attendance=25,
            follow_ups=[FollowUpInput("Seuraava työpaja", "AVI")],
        ),
        now=now,
    )
    db.session.commit()
    return dict(clinic=clinic, workshop=workshop, coffee=coffee, last_year=last_year)


# --- the same figures, counted the plain way -----------------------------------------------


def _attendees(event, registrations):
    confirmed = [
        r
        for r in registrations
        if r.event_id == event.id and r.status is RegistrationStatus.CONFIRMED
    ]
    marked = [
        r
        for r in registrations
        if r.event_id == event.id and getattr(r, "attended", None) is not None
    ]
    if marked:
        return [r for r in marked if r.attended]
    return confirmed


def expected(year=None, sub_region=None):
    now = utcnow()
    events = list(db.session.scalars(sa.select(Event)))
    registrations = list(db.session.scalars(sa.select(Registration)))
    outcomes = {o.event_id: o for o in db.session.scalars(sa.select(Outcome))}
    links = defaultdict(set)
    for event_id, measure_id in db.session.execute(sa.select(event_measures)):
        links[event_id].add(measure_id)
    for outcome in outcomes.values():
        links[outcome.event_id] |= {om.measure_id for om in outcome.measures}
    held = [
        e
        for e in events
        if e.status is EventStatus.PUBLISHED
        and e.ends_at <= now
        and (year is None or e.starts_at.astimezone(ZONE).year == year)
        and (sub_region is None or any(x.sub_region is sub_region for x in e.municipalities))
    ]
    attendees = {e.id: _attendees(e, registrations) for e in held}

    def participants(e):
        o = outcomes.get(e.id)
        if o is not None and o.manual_attendance is not None:
            return o.manual_attendance
        return len(attendees[e.id])

    partners = {o.id for o in db.session.scalars(sa.select(Organisation)) if o.is_partner}
    values = list(
        db.session.scalars(
            sa.select(IndicatorValue).where(IndicatorValue.municipality_id.is_(None))
        )
    )
    result = {"measures": {}, "municipalities": {}, "partners": {}}
    for m in db.session.scalars(sa.select(Measure)):
        evs = [e for e in held if m.id in links[e.id]]
        follow_ups = [f for e in evs if e.id in outcomes for f in outcomes[e.id].follow_ups]
        latest = {}
        for indicator in m.indicators:
            own = sorted((v.year, v.value) for v in values if v.indicator_id == indicator.id)
            latest[indicator.code] = own[-1] if own else (None, None)
        result["measures"][m.code] = dict(
            events=len(evs),
            participants=sum(participants(e) for e in evs),
            partners_reached=len(
                {
                    r.organisation_id
                    for e in evs
                    for r in attendees[e.id]
                    if r.organisation_id in partners
                }
            ),
            municipalities_reached=len(
                {x.id for e in evs for x in e.municipalities}
                | {r.municipality_id for e in evs for r in attendees[e.id] if r.municipality_id}
            ),
            follow_ups_open=sum(f.status is FollowUpStatus.OPEN for f in follow_ups),
            follow_ups_done=sum(f.status is FollowUpStatus.DONE for f in follow_ups),
            indicators=latest,
        )
    changes = list(db.session.scalars(sa.select(MunicipalPlanStatusChange)))
    for place in db.session.scalars(sa.select(Municipality)):
        if sub_region is not None and place.sub_region is not sub_region:
            continue
        own = sorted(
            (c.changed_on, c.id, c.status) for c in changes if c.municipality_id == place.id
        )
        there = [e for e in held if place in e.municipalities]
        from_there = [r for e in held for r in attendees[e.id] if r.municipality_id == place.id]
        days = [e.starts_at.astimezone(ZONE).date() for e in there] + [
            next(e for e in held if e.id == r.event_id).starts_at.astimezone(ZONE).date()
            for r in from_there
        ]
        result["municipalities"][place.slug] = dict(
            status=own[-1][2] if own else MunicipalPlanStatus.NOT_STARTED,
            events=len(there),
            people=len(from_there),
            last_contact=max(days) if days else None,
        )
    for org in db.session.scalars(sa.select(Organisation)):
        came = [r for e in held for r in attendees[e.id] if r.organisation_id == org.id]
        if came or org.is_partner:
            result["partners"][org.slug] = dict(
                events=len({r.event_id for r in came}), people=len(came)
            )
    result["events_held"] = len(held)
    result["participants"] = sum(participants(e) for e in held)
    result["partners_reached"] = len(
        {r.organisation_id for e in held for r in attendees[e.id]} & partners
    )
    shown = set(result["municipalities"])
    result["municipalities_reached"] = len(
        (
            {x.slug for e in held for x in e.municipalities}
            | {r.municipality.slug for e in held for r in attendees[e.id] if r.municipality}
        )
        & shown
    )
    statuses = [v["status"] for v in result["municipalities"].values()]
    result["status_counts"] = {s: statuses.count(s) for s in MunicipalPlanStatus}
    months = defaultdict(int)
    for e in held:
        months[e.starts_at.astimezone(ZONE).date().replace(day=1)] += 1
    result["events_by_month"] = sorted(months.items())
    return result


def actual(dashboard_filter):
    d = build_dashboard(dashboard_filter, utcnow(), ZONE)
    return {
        "measures": {
            f.measure.code: dict(
                events=f.events,
                participants=f.participants,
                partners_reached=f.partners_reached,
                municipalities_reached=f.municipalities_reached,
                follow_ups_open=f.follow_ups_open,
                follow_ups_done=f.follow_ups_done,
                indicators={i.indicator.code: (i.year, i.value) for i in f.indicators},
            )
            for f in d.measures
        },
        "municipalities": {
            f.municipality.slug: dict(
                status=f.status, events=f.events, people=f.people, last_contact=f.last_contact
            )
            for f in d.municipalities
        },
        "partners": {
            p.organisation.slug: dict(events=p.events, people=p.people) for p in d.partners
        },
        "events_held": d.events_held,
        "participants": d.participants,
        "partners_reached": d.partners_reached,
        "municipalities_reached": d.municipalities_reached,
        "status_counts": d.status_counts,
        "events_by_month": d.events_by_month,
    }


@pytest.mark.parametrize(
    "dashboard_filter",
    [
        DashboardFilter(),
        DashboardFilter(year=utcnow().astimezone(ZONE).year),
        DashboardFilter(sub_region=SubRegion.KEMI_TORNIO),
        DashboardFilter(sub_region=SubRegion.EASTERN_LAPLAND),
        DashboardFilter(year=2001),
    ],
    ids=["all", "this-year", "kemi-tornio", "eastern-lapland", "empty-year"],
)
def test_every_figure_matches_the_raw_rows(plan_data, dashboard_filter):
    assert actual(dashboard_filter) == expected(dashboard_filter.year, dashboard_filter.sub_region)


def test_figures_a_coordinator_would_check_by_hand(plan_data):
    figures = actual(DashboardFilter())
    # clinic (2 confirmed + 1 unlisted organisation) and last year's clinic (1)
    assert figures["measures"]["T1"]["events"] == 2
    assert figures["measures"]["T1"]["participants"] == 4
    # the clinic and the workshop: 3 + the workshop's manual count of 25
    assert figures["measures"]["T4"]["participants"] == 28
    assert figures["measures"]["T4"]["follow_ups_open"] == 2
    assert figures["measures"]["T4"]["follow_ups_done"] == 1
    # T6 was not planned for the clinic, but its outcome advanced it
    assert figures["measures"]["T6"]["events"] == 1
    # kemi, tornio (held there) and simo (a participant works there)
    assert figures["measures"]["T2"]["municipalities_reached"] == 3
    # AVI and the police; the chair is not one of the 16 partners
    assert figures["measures"]["T4"]["partners_reached"] == 3
    assert figures["measures"]["T1"]["indicators"]["hytu-plans"] == (utcnow().year, 1.0)
    assert figures["municipalities"]["kemijarvi"]["status"] is MunicipalPlanStatus.DRAFT_READY
    assert figures["status_counts"][MunicipalPlanStatus.IN_PREPARATION] == 20
    assert figures["events_held"] == 4
    assert figures["partners"]["lapin-avi"] == {"events": 2, "people": 2}


def test_events_needing_outcomes(plan_data):
    needing = {e.id for e in events_needing_outcomes(utcnow())}
    assert needing == {plan_data["coffee"].id, plan_data["last_year"].id}


def test_marked_attendance_is_what_counts(app: Flask, client):
    seed_plan()
    db.session.commit()
    m, o = municipality, organisation
    marked = past_event(3, [m("inari")], [measure("T1")])
    register(marked, o("lapin-avi"), m("inari"), attended=True)
    register(marked, o("spek"), m("inari"), attended=False)
    register(marked, o("lapin-amk"), m("sodankyla"))  # not marked: did not come
    unmarked = past_event(4, [m("salla")], [measure("T1")])
    register(unmarked, o("riku"), m("salla"))
    register(unmarked, o("riku"), m("salla"))
    figures = actual(DashboardFilter())
    assert figures == expected()
    t1 = figures["measures"]["T1"]
    assert t1["participants"] == 1 + 2
    assert t1["partners_reached"] == 2  # AVI came; RIKU confirmed where nobody was marked
    assert figures["municipalities"]["sodankyla"]["people"] == 0

    from hytu_events.outcomes.attendance import attendance_of

    attendance = attendance_of(marked.id)
    assert attendance.total == 1
    assert attendance.by_organisation == [("Lapin aluehallintovirasto (Lapin AVI)", 1)]
    assert attendance.by_municipality == [("Inari", 1)]
    assert [n for _, n in attendance.by_category] == [1]
