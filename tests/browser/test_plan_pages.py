"""The dashboard, the public summary and the report in Chromium: axe-clean, charts drawn."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from hytu_events.accounts.models import Role
from hytu_events.cli import seed_demo_events
from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.outcomes.demo import link_demo_events, record_demo_outcomes
from hytu_events.plan.seed import seed_plan
from tests.browser.axe import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.plan.helpers import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app: Flask):
    zone = ZoneInfo("Europe/Helsinki")
    seed_plan()
    seed_demo_events(zone, utcnow())
    link_demo_events()
    record_demo_outcomes(utcnow(), zone)
    db.session.commit()
    return make_user(Role.COORDINATOR)


def _log_in(page, user):
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_public_summary_is_accessible(page, demo):
    page.goto("/summary")
    # Months as columns; statuses and coverage as rows of bars, each one image with its title.
    assert page.locator("svg.chart[role=img]").count() == 1
    assert page.locator(".bars[role=img]:visible").count() == 2
    assert_accessible(page, "public summary")


def test_dashboard_and_report_are_accessible_and_draw_their_charts(page, demo):
    _log_in(page, demo)
    page.goto("/admin/dashboard")
    assert page.locator("svg.chart[role=img]").count() == 1
    assert page.locator(".bars[role=img]:visible").count() == 2
    # Bars were drawn with a size, not only declared.
    assert page.locator("#chart-months rect.chart__bar").count() >= 2
    box = page.locator("#chart-months").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert_accessible(page, "dashboard")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-dashboard.png"), full_page=True)
    for chart in ("months", "statuses", "coverage"):
        page.locator(f"section:has(#chart-{chart})").screenshot(
            path=str(ARTIFACTS / f"plan-chart-{chart}.png")
        )
    page.goto("/admin/report?sub_region=kemi-tornio")
    assert_accessible(page, "printable report")
    page.emulate_media(media="print")
    assert page.locator("form.filters").is_hidden()
    page.screenshot(path=str(ARTIFACTS / "plan-report-print.png"), full_page=True)


def test_outcome_form_is_accessible(page, demo):
    from sqlalchemy import select

    from hytu_events.models import Event

    _log_in(page, demo)
    event_id = db.session.scalar(
        select(Event.id).where(Event.calendar_uid.like("demo-clinic-kemijarvi%"))
    )
    page.goto(f"/admin/events/{event_id}/outcome")
    assert_accessible(page, "outcome form")
    page.goto(f"/admin/events/{event_id}/measures")
    assert_accessible(page, "event measures")
    page.goto("/admin/plan/municipalities?municipality=1")
    assert_accessible(page, "plan tracker")


def test_coordinator_edits_the_plan_in_the_browser(page, demo):
    _log_in(page, demo)
    page.goto("/admin/plan?lang=en")
    assert_accessible(page, "plan overview")

    page.get_by_role("link", name="New measure").click()
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#error-summary")
    assert "The changes were not saved" in summary.inner_text()
    assert_accessible(page, "measure form with errors")

    page.fill("#code", "T30")
    page.fill("#title", "Kyläturvallisuuden verkkokurssi")
    page.fill("#start_year", "2026")
    page.fill("#end_year", "2027")
    page.fill("#target_number", "12,5")
    page.get_by_label("S5 Kylien turvallisuus").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Kyläturvallisuuden verkkokurssi")
    assert "2026–2027" in row.inner_text() and "S5" in row.inner_text()

    row.get_by_role("link", name="T30").click()
    assert page.locator("#target_number").input_value() == "12,5"
    assert page.get_by_label("S5 Kylien turvallisuus").is_checked()
    assert_accessible(page, "measure form")
    page.get_by_role("link", name="Delete").click()
    assert_accessible(page, "delete confirmation")
    page.get_by_role("button", name="Delete").click()
    page.wait_for_load_state()
    assert page.locator("tr", has_text="Kyläturvallisuuden verkkokurssi").count() == 0

    page.goto("/admin/plan?lang=en")
    page.locator("tr", has_text="Municipalities with a combined").get_by_role(
        "link", name="figure"
    ).click()
    page.select_option("#municipality", label="Inari")
    page.fill("#year", "2026")
    page.fill("#value", "1")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator("tr", has_text="Inari").locator("td.num").inner_text() == "1"
    assert_accessible(page, "indicator figures")


def test_a_series_held_is_one_line_with_its_chart_and_leads_to_its_page(page, demo):
    from tests.plan.helpers import register
    from tests.reporting.series_data import days_ago, weekly_series

    series, dates = weekly_series(days_ago(15), 3, title="Kahvit Kemi-Torniossa")
    for event in dates:
        register(event)
    _log_in(page, demo)
    page.goto("/admin/dashboard?lang=en")
    assert page.locator("#chart-series rect.chart__bar").count() == 1
    box = page.locator("#chart-series").bounding_box()
    assert box and box["width"] > 300
    row = page.locator("#series-table tbody tr", has_text="Kahvit Kemi-Torniossa")
    assert row.locator("td").first.inner_text() == "3 / 3"
    assert_accessible(page, "dashboard with a series held")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("section#series-figures").screenshot(path=str(ARTIFACTS / "plan-series.png"))
    row.get_by_role("link", name="Kahvit Kemi-Torniossa").click()
    page.wait_for_url(f"**/admin/series/{series.id}")
