"""The dashboard's figures: a fixed number of grouped queries, whatever the amount of data.

Definitions (the same on the dashboard, the public summary and the report):
- an event is *held* when it is published and has ended; year and sub-region filters apply
  to held events (the year of its start in Finnish time; held in a municipality of the
  sub-region);
- *participants* of an event: the outcome's manual count when one was given; otherwise the
  registrations marked as attended, or, while nobody at the event is marked, the confirmed
  registrations (counted in hytu_events.outcomes.attendance);
- an event serves a measure when it is linked to it or its outcome advanced it;
- a measure *reaches* a municipality where one of its events was held or a participant works,
  and a partner organisation when a participant came from it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..events.models import Event, EventStatus, event_municipalities
from ..extensions import db
from ..outcomes.attendance import participants_by_event
from ..outcomes.models import FollowUp, FollowUpStatus, Outcome, OutcomeMeasure
from ..partners.models import Municipality, Organisation, SubRegion
from ..plan.models import (
    Indicator,
    IndicatorValue,
    Measure,
    MunicipalPlanStatus,
    event_measures,
    measure_indicators,
)
from ..plan.statuses import current_statuses
from .series_lines import SeriesLine, series_lines


@dataclass(frozen=True)
class DashboardFilter:
    year: int | None = None
    sub_region: SubRegion | None = None


@dataclass
class IndicatorFigure:
    indicator: Indicator
    year: int | None
    value: float | None

    @property
    def target_met(self) -> bool | None:
        target = self.indicator.target_value
        if self.value is None or target is None:
            return None
        if self.indicator.direction.value == "higher_is_better":
            return self.value >= target
        return self.value <= target


@dataclass
class MeasureFigures:
    measure: Measure
    events: int = 0
    participants: int = 0
    partners_reached: int = 0
    municipalities_reached: int = 0
    follow_ups_open: int = 0
    follow_ups_done: int = 0
    indicators: list[IndicatorFigure] = field(default_factory=list)


@dataclass
class MunicipalityFigures:
    municipality: Municipality
    status: MunicipalPlanStatus
    events: int = 0
    people: int = 0
    last_contact: date | None = None


@dataclass
class PartnerFigures:
    organisation: Organisation
    events: int = 0
    people: int = 0


@dataclass
class Dashboard:
    filter: DashboardFilter
    events_held: int
    participants: int
    partner_count: int
    partners_reached: int
    municipality_count: int
    municipalities_reached: int
    measures: list[MeasureFigures]
    municipalities: list[MunicipalityFigures]
    partners: list[PartnerFigures]
    status_counts: dict[MunicipalPlanStatus, int]
    #: (the first day of a month, events held in it), in order.
    events_by_month: list[tuple[date, int]]
    coverage: list[tuple[SubRegion, int, int]]
    #: One line per series with dates in the period.
    series: list[SeriesLine]


def events_in_period(dashboard_filter: DashboardFilter, zone: ZoneInfo) -> sa.Select:
    """select(Event.id) of the events of the filter's year and sub-region, whatever their state."""
    query = sa.select(Event.id)
    if dashboard_filter.year is not None:
        start = datetime(dashboard_filter.year, 1, 1, tzinfo=zone)
        end = datetime(dashboard_filter.year + 1, 1, 1, tzinfo=zone)
        query = query.where(Event.starts_at >= start, Event.starts_at < end)
    if dashboard_filter.sub_region is not None:
        query = query.where(
            Event.id.in_(
                sa.select(event_municipalities.c.event_id)
                .join(Municipality, Municipality.id == event_municipalities.c.municipality_id)
                .where(Municipality.sub_region == dashboard_filter.sub_region)
            )
        )
    return query


def held_events(dashboard_filter: DashboardFilter, now: datetime, zone: ZoneInfo) -> sa.Select:
    """select(Event.id) of the events the dashboard counts."""
    return events_in_period(dashboard_filter, zone).where(
        Event.status == EventStatus.PUBLISHED, Event.ends_at <= now
    )


def build_dashboard(dashboard_filter: DashboardFilter, now: datetime, zone: ZoneInfo) -> Dashboard:
    scope = held_events(dashboard_filter, now, zone)
    events = db.session.execute(sa.select(Event.id, Event.starts_at).where(Event.id.in_(scope)))
    starts = {row.id: row.starts_at for row in events}
    event_places: dict[int, set[int]] = defaultdict(set)
    for event_id, municipality_id in db.session.execute(
        sa.select(event_municipalities.c.event_id, event_municipalities.c.municipality_id).where(
            event_municipalities.c.event_id.in_(scope)
        )
    ):
        event_places[event_id].add(municipality_id)
    served = sa.union(
        sa.select(event_measures.c.event_id, event_measures.c.measure_id).where(
            event_measures.c.event_id.in_(scope)
        ),
        sa.select(Outcome.event_id, OutcomeMeasure.measure_id)
        .join(Outcome, Outcome.id == OutcomeMeasure.outcome_id)
        .where(Outcome.event_id.in_(scope)),
    )
    measure_events: dict[int, set[int]] = defaultdict(set)
    for event_id, measure_id in db.session.execute(served):
        measure_events[measure_id].add(event_id)
    follow_ups: dict[int, Counter] = defaultdict(Counter)
    for event_id, status, count in db.session.execute(
        sa.select(Outcome.event_id, FollowUp.status, sa.func.count())
        .join(Outcome, Outcome.id == FollowUp.outcome_id)
        .where(Outcome.event_id.in_(scope))
        .group_by(Outcome.event_id, FollowUp.status)
    ):
        follow_ups[event_id][FollowUpStatus(status)] += count

    people, participants = participants_by_event(scope, starts)

    organisations = list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))
    partner_ids = {o.id for o in organisations if o.is_partner}
    municipalities = list(
        db.session.scalars(sa.select(Municipality).order_by(Municipality.name_fi))
    )
    if dashboard_filter.sub_region is not None:
        municipalities = [m for m in municipalities if m.sub_region == dashboard_filter.sub_region]
    statuses = current_statuses()

    def reach(event_ids) -> tuple[set[int], set[int]]:
        places, partners = set(), set()
        for event_id in event_ids:
            places |= event_places.get(event_id, set())
            for organisation_id, municipality_id, _count in people.get(event_id, []):
                if municipality_id is not None:
                    places.add(municipality_id)
                if organisation_id in partner_ids:
                    partners.add(organisation_id)
        return places, partners

    indicator_figures = _latest_region_values()
    measures = []
    links = defaultdict(list)
    for measure_id, indicator_id in db.session.execute(sa.select(measure_indicators)):
        links[measure_id].append(indicator_id)
    measure_codes: dict[int, set[str]] = defaultdict(set)
    for measure in db.session.scalars(sa.select(Measure).order_by(Measure.code)):
        ids = measure_events.get(measure.id, set())
        for event_id in ids:
            measure_codes[event_id].add(measure.code)
        places, partners = reach(ids)
        measures.append(
            MeasureFigures(
                measure=measure,
                events=len(ids),
                participants=sum(participants[e] for e in ids),
                partners_reached=len(partners),
                municipalities_reached=len(places),
                follow_ups_open=sum(follow_ups[e][FollowUpStatus.OPEN] for e in ids),
                follow_ups_done=sum(follow_ups[e][FollowUpStatus.DONE] for e in ids),
                indicators=[indicator_figures[i] for i in sorted(links[measure.id])],
            )
        )

    by_municipality = {
        m.id: MunicipalityFigures(m, statuses.get(m.id, MunicipalPlanStatus.NOT_STARTED))
        for m in municipalities
    }

    def touch(figures: MunicipalityFigures, event_id: int) -> None:
        day = starts[event_id].astimezone(zone).date()
        if figures.last_contact is None or day > figures.last_contact:
            figures.last_contact = day

    for event_id, places in event_places.items():
        for municipality_id in places:
            if municipality_id in by_municipality:
                by_municipality[municipality_id].events += 1
                touch(by_municipality[municipality_id], event_id)
    partner_figures = {o.id: PartnerFigures(o) for o in organisations}
    for event_id, attendees in people.items():
        for organisation_id, municipality_id, count in attendees:
            if municipality_id in by_municipality:
                by_municipality[municipality_id].people += count
                touch(by_municipality[municipality_id], event_id)
            if organisation_id in partner_figures:
                partner_figures[organisation_id].people += count
        for organisation_id in {o for o, _, _ in attendees}:
            if organisation_id in partner_figures:
                partner_figures[organisation_id].events += 1

    places, partners = reach(starts)
    shown = {m.id for m in municipalities}
    months = Counter(starts[e].astimezone(zone).date().replace(day=1) for e in starts)
    status_counts = Counter(f.status for f in by_municipality.values())
    return Dashboard(
        filter=dashboard_filter,
        events_held=len(starts),
        participants=sum(participants.values()),
        partner_count=len(partner_ids),
        partners_reached=len(partners),
        municipality_count=len(municipalities),
        municipalities_reached=len(places & shown),
        measures=measures,
        municipalities=list(by_municipality.values()),
        partners=sorted(
            (p for p in partner_figures.values() if p.people or p.organisation.is_partner),
            key=lambda p: (-p.people, -p.events, p.organisation.name),
        ),
        status_counts={s: status_counts.get(s, 0) for s in MunicipalPlanStatus},
        events_by_month=sorted(months.items()),
        coverage=_coverage(municipalities, places),
        series=series_lines(
            events_in_period(dashboard_filter, zone), participants, measure_codes, zone
        ),
    )


def _coverage(municipalities, reached: set[int]) -> list[tuple[SubRegion, int, int]]:
    """(sub-region, municipalities reached, municipalities) in the order of SubRegion."""
    totals, hits = Counter(), Counter()
    for m in municipalities:
        totals[m.sub_region] += 1
        hits[m.sub_region] += m.id in reached
    return [(region, hits[region], totals[region]) for region in SubRegion if totals[region]]


def _latest_region_values() -> dict[int, IndicatorFigure]:
    """Each indicator's latest whole-region value (two queries)."""
    indicators = {i.id: i for i in db.session.scalars(sa.select(Indicator))}
    figures = {i: IndicatorFigure(indicator, None, None) for i, indicator in indicators.items()}
    for indicator_id, year, value in db.session.execute(
        sa.select(IndicatorValue.indicator_id, IndicatorValue.year, IndicatorValue.value)
        .where(IndicatorValue.municipality_id.is_(None))
        .order_by(IndicatorValue.year)
    ):
        figures[indicator_id] = IndicatorFigure(indicators[indicator_id], year, value)
    return figures
