"""The series on the dashboard and in the printable report, as a viewer reads them."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from hytu_events.accounts.models import Role
from hytu_events.extensions import db
from hytu_events.outcomes.event_measures import set_event_measures
from hytu_events.plan.seed import seed_plan
from tests.helpers import municipality, organisation, page_text
from tests.plan.helpers import log_in, make_user, measure, register
from tests.reporting.series_data import days_ago, weekly_series


@pytest.fixture
def coffees(app: Flask, client):
    """Five weekly coffees, the last one still to come; people at the first two."""
    seed_plan()
    db.session.commit()
    series, dates = weekly_series(days_ago(22), 5)
    register(dates[0], organisation("lapin-avi"), municipality("kemi"), name="Salainen Sukunimi")
    register(dates[0], organisation("spek"), None, email="salainen.henkilo@example.fi")
    register(dates[1], organisation("spek"), None)
    set_event_measures(dates[0].id, [measure("T3").id])
    db.session.commit()
    log_in(client, make_user(Role.VIEWER))
    return series, dates


def _series_table(html: str) -> str:
    return re.search(r'<table class="plan-table" id="series-table">.*?</table>', html, re.S)[0]


def test_the_dashboard_shows_a_series_as_one_line_linking_to_it(client, coffees):
    series, dates = coffees
    html = client.get("/admin/dashboard?lang=en").text
    row = page_text(_series_table(html).split("</thead>")[1])
    assert row.startswith("HYTU-virtuaalikahvit 4 / 5")
    assert ": 2" in row and ": 1" in row and ": 0" in row
    assert "3 0.8 T3" in row  # in all, average per date held, measures served
    assert f'href="/admin/series/{series.id}"' in _series_table(html)
    # The chart of the averages, with its title and description for screen readers.
    assert 'id="chart-series"' in html and "Average attendance per date, by series" in html
    assert "Salainen" not in html and "salainen.henkilo" not in html


def test_the_report_has_the_same_line_without_links(client, coffees):
    series, _dates = coffees
    html = client.get("/admin/report?lang=en").text
    table = _series_table(html)
    assert "HYTU-virtuaalikahvit" in table and "4 / 5" in table
    assert "<a " not in table and 'id="chart-series"' in html


def test_a_period_without_series_says_so(client, coffees):
    html = client.get("/admin/dashboard?lang=en&year=2021").text
    assert "No series had dates in this period." in page_text(_series_table(html))
    assert 'id="chart-series"' not in html


def test_finnish_and_swedish_write_the_section_and_its_decimals(client, coffees):
    finnish = client.get("/admin/dashboard?lang=fi").text
    swedish = client.get("/admin/dashboard?lang=sv").text
    assert "Tapahtumasarjat" in finnish and "Keskimäärin kerralla" in _series_table(finnish)
    assert "Evenemangsserier" in swedish and "I genomsnitt per tillfälle" in _series_table(swedish)
    assert "0,8" in _series_table(finnish) and "0,8" in _series_table(swedish)
