"""A series as one line of the dashboard: dates held of its dates in the period, the people at
each date held (counted as the rest of the dashboard counts them), and the measures served."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

from hytu_events.events.operations import cancel_event
from hytu_events.extensions import db
from hytu_events.models import EventStatus, RegistrationStatus, event_municipalities
from hytu_events.outcomes.event_measures import set_event_measures
from hytu_events.outcomes.outcomes import OutcomeInput, record_outcome
from hytu_events.partners.models import SubRegion
from hytu_events.plan.seed import seed_plan
from hytu_events.reporting.dashboard import DashboardFilter, build_dashboard
from tests.helpers import counting_queries, municipality, organisation
from tests.plan.helpers import measure, past_event, register
from tests.reporting.series_data import weekly_series

ZONE = ZoneInfo("Europe/Helsinki")
#: Tuesday 25 November 2025: three Thursdays of the autumn series are behind it.
NOW = datetime(2025, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def autumn(app: Flask):
    """Five Thursdays from 6.11.2025: three held, one cancelled, one left a draft."""
    seed_plan()
    db.session.commit()
    series, dates = weekly_series(date(2025, 11, 6), 5)
    first, second, third, cancelled, draft = dates
    register(first, organisation("lapin-avi"), municipality("kemi"))
    register(first, organisation("spek"), municipality("tornio"))
    register(first, organisation("spek"), None, RegistrationStatus.WAITLISTED)
    for _ in range(3):
        register(second)  # the manual count below wins over these
    register(third, attended=True)
    register(third, attended=False)
    register(third)  # confirmed, not marked: the marked ones count
    set_event_measures(first.id, [measure("T1").id])
    set_event_measures(draft.id, [measure("T6").id])  # not held: serves nothing yet
    record_outcome(second, OutcomeInput(manual_attendance=7), now=NOW, zone=ZONE)
    record_outcome(
        third, OutcomeInput(measures={measure("T3").id: "Kylien turvallisuus"}), now=NOW, zone=ZONE
    )
    cancel_event(cancelled.id, "Sairastuminen", announce=False)
    draft.status = EventStatus.DRAFT
    db.session.commit()
    return series, dates


def test_a_series_is_one_line_with_its_dates_attendance_and_measures(autumn):
    series, dates = autumn
    dashboard = build_dashboard(DashboardFilter(), NOW, ZONE)
    [line] = dashboard.series
    assert (line.series_id, line.title) == (series.id, "HYTU-virtuaalikahvit")
    assert line.held == [(date(2025, 11, 6), 2), (date(2025, 11, 13), 7), (date(2025, 11, 20), 1)]
    assert line.dates == 4  # the cancelled date is one of them, the draft is not
    assert (line.total, line.average) == (10, 10 / 3)
    assert line.measures == ["T1", "T3"]
    # The same attendance figure as the rest of the dashboard: here the series is all there is.
    assert dashboard.participants == line.total and dashboard.events_held == 3


def test_only_series_with_dates_in_the_period_have_a_line(autumn):
    earlier, _dates = weekly_series(date(2024, 12, 19), 3, title="Joulukahvit")  # into 2025
    upcoming, _dates = weekly_series(date(2025, 12, 4), 2, title="Talvikahvit")
    past_event(30, [municipality("kemi")])  # not a series: no line
    by_title = {line.title: line for line in build_dashboard(DashboardFilter(), NOW, ZONE).series}
    assert list(by_title) == ["Joulukahvit", "HYTU-virtuaalikahvit", "Talvikahvit"]
    assert (by_title["Talvikahvit"].dates, by_title["Talvikahvit"].held) == (2, [])
    assert by_title["Talvikahvit"].average is None
    in_2025 = build_dashboard(DashboardFilter(year=2025), NOW, ZONE).series
    assert [(line.title, len(line.held), line.dates) for line in in_2025] == [
        ("Joulukahvit", 1, 1),
        ("HYTU-virtuaalikahvit", 3, 4),
        ("Talvikahvit", 0, 2),
    ]
    in_2024 = build_dashboard(DashboardFilter(year=2024), NOW, ZONE).series
    assert [(line.title, line.held) for line in in_2024] == [
        ("Joulukahvit", [(date(2024, 12, 19), 0), (date(2024, 12, 26), 0)])
    ]


def test_the_sub_region_counts_the_dates_held_there(autumn):
    _series, dates = autumn
    db.session.execute(
        sa.insert(event_municipalities),
        [dict(event_id=e.id, municipality_id=municipality("kemi").id) for e in dates[1:4]],
    )
    db.session.commit()
    [line] = build_dashboard(DashboardFilter(sub_region=SubRegion.KEMI_TORNIO), NOW, ZONE).series
    assert (line.held, line.dates) == ([(date(2025, 11, 13), 7), (date(2025, 11, 20), 1)], 3)
    assert line.measures == ["T3"]
    assert (
        build_dashboard(DashboardFilter(sub_region=SubRegion.EASTERN_LAPLAND), NOW, ZONE).series
        == []
    )


def _queries() -> int:
    db.session.expire_all()
    with counting_queries() as statements:
        build_dashboard(DashboardFilter(), NOW, ZONE)
    return len(statements)


def test_the_series_lines_take_as_many_queries_for_many_series_and_dates(app: Flask):
    seed_plan()
    db.session.commit()
    weekly_series(date(2025, 10, 2), 2)
    few = _queries()
    for week in range(12):
        _series, dates = weekly_series(date(2025, 1, 6 + week), 10, title=f"Sarja {week}")
        for event in dates[::3]:
            register(event)
            set_event_measures(event.id, [measure("T2").id])
    db.session.commit()
    many = _queries()
    lines = build_dashboard(DashboardFilter(), NOW, ZONE).series
    assert len(lines) == 13 and sum(len(line.held) for line in lines) == 122
    assert many == few, f"{few} queries for one series of 2 dates, {many} for 13 with 122"
