"""Coordinators edit the plan in the back office: the plan, focus areas, measures, indicators
and their figures; viewers only look."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from hytu_events.accounts.models import Role
from hytu_events.audit import AuditEntry
from hytu_events.extensions import db
from hytu_events.plan.models import (
    FocusArea,
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Measure,
    Plan,
)
from hytu_events.plan.seed import seed_plan
from tests.helpers import (
    counting_queries,
    csrf_token,
    field_error,
    municipality,
    organisation,
    page_text,
    post_form,
)

from .helpers import log_in, make_user, measure, past_event


@pytest.fixture
def seeded(app: Flask):
    seed_plan()
    db.session.commit()


@pytest.fixture
def coordinator(client, seeded):
    log_in(client, make_user(Role.COORDINATOR))
    return client


def _measure_form(**overrides) -> dict:
    areas = {a.code: a.id for a in db.session.scalars(sa.select(FocusArea))}
    data = {
        "code": "T20",
        "title": "Kylien turvallisuuskävelyt",
        "title_sv": "Trygghetsvandringar i byarna",
        "title_en": "",
        "description": "Kävellään kylä läpi ja kirjataan havainnot.",
        "start_year": "2025",
        "end_year": "2027",
        "target_text": "Kävely jokaisessa seutukunnassa.",
        "target_number": "6",
        "focus_areas": [str(areas["S5"]), str(areas["W4"])],
        "organisations": [str(organisation("lappilaiset-kylat").id)],
        "indicators": [str(indicator("home-accidents").id)],
    }
    data.update(overrides)
    return data


def indicator(code: str) -> Indicator:
    return db.session.scalars(sa.select(Indicator).where(Indicator.code == code)).one()


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


@pytest.mark.parametrize(
    "url, optional, required",
    [
        ("/admin/plan/measures/new", "title_sv", "title"),
        ("/admin/plan/indicators/new", "name_sv", "name"),
        ("/admin/plan/focus-areas/new", "kind", "code"),
    ],
)
def test_optional_plan_fields_are_not_marked_required(coordinator, url, optional, required):
    # They were rendered required="None", which browsers read as required: a measure could
    # not be saved without a Swedish title.
    page = coordinator.get(url).text

    def tag(name):
        return re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', page).group(0)

    assert "required" not in tag(optional)
    assert re.search(r"\srequired[\s>]", tag(required))


def test_coordinator_adds_a_measure_that_events_can_then_serve(coordinator):
    response = post_form(coordinator, "/admin/plan/measures/new?lang=en", _measure_form())
    assert response.status_code == 303
    db.session.expire_all()
    new = measure("T20")
    assert new.title == "Kylien turvallisuuskävelyt"
    assert (new.start_year, new.end_year, new.target_number) == (2025, 2027, 6.0)
    assert sorted(a.code for a in new.focus_areas) == ["S5", "W4"]
    assert [o.slug for o in new.organisations] == ["lappilaiset-kylat"]
    assert [i.code for i in new.indicators] == ["home-accidents"]
    assert (new.title_sv, new.title_en) == ("Trygghetsvandringar i byarna", None)
    swedish = page_text(coordinator.get("/admin/plan?lang=sv").text)
    assert "T20 Trygghetsvandringar i byarna" in swedish
    assert len(_audit("measure.created")) == 1

    overview = page_text(coordinator.get("/admin/plan?lang=en").text)
    assert (
        "T20 Kylien turvallisuuskävelyt Target: Kävely jokaisessa seutukunnassa. 2025–2027 S5, W4"
        in overview
    )

    # Events can serve the new measure at once, and the feed filters by it.
    event = past_event(2, [municipality("inari")], title="Turvallisuuskävely Inarissa")
    url = f"/admin/events/{event.id}/measures?lang=en"
    assert "T20 Kylien turvallisuuskävelyt" in coordinator.get(url).text
    assert post_form(coordinator, url, {"measures": [str(new.id)]}).status_code == 303
    feed = coordinator.get("/calendar.ics?measure=t20")
    assert feed.status_code == 200 and "Turvallisuuskävely Inarissa" in feed.text
    assert "Turvallisuuskävely" not in coordinator.get("/calendar.ics?measure=T1").text


def test_editing_a_measure_keeps_its_links_and_records_the_change(coordinator):
    t1 = measure("T1")
    url = f"/admin/plan/measures/{t1.id}?lang=en"
    form = coordinator.get(url).text
    assert 'value="HYTU-klinikat kunnille"' in form
    data = _measure_form(code="T1", title="HYTU-klinikat kaikille kunnille", target_number="21,0")
    response = coordinator.post(url, data={"csrf_token": csrf_token(form), **data})
    assert response.status_code == 303
    db.session.expire_all()
    t1 = measure("T1")
    assert t1.title == "HYTU-klinikat kaikille kunnille" and t1.target_number == 21.0
    history = page_text(coordinator.get(url).text)
    assert "Measure changed" in history
    change = "Title in Finnish HYTU-klinikat kunnille → changed to HYTU-klinikat kaikille kunnille"
    assert change in history


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "t1"}, "code", "This code is already in use."),
        ({"code": "T 9"}, "code", "Use letters A-Z, digits, dots, hyphens or underscores"),
        ({"code": ""}, "code", "Fill in this field."),
        ({"title": "   "}, "title", "Fill in this field."),
        ({"end_year": "2024"}, "end_year", "The last year cannot be before the first year."),
        ({"start_year": "20x5"}, "start_year", "Enter a year"),
        ({"target_number": "kaksi"}, "target_number", "Enter a number, for example 12,5."),
        ({"focus_areas": ["999999"]}, "focus_areas", "Choose from the list."),
        ({"title": "Nimi\x1b[31m"}, "title", "Remove the control characters"),
    ],
)
def test_a_bad_measure_gets_a_field_error_and_saves_nothing(coordinator, overrides, field, message):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Measure))
    response = post_form(
        coordinator, "/admin/plan/measures/new?lang=en", _measure_form(**overrides)
    )
    assert response.status_code == 400
    assert message in (field_error(response.text, field) or "")
    assert "The changes were not saved" in response.text
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Measure)) == before
    assert _audit("measure.created") == []


def test_a_measure_with_a_history_cannot_be_deleted(coordinator):
    t1 = measure("T1")
    assert "a new code breaks" not in coordinator.get(f"/admin/plan/measures/{t1.id}?lang=en").text
    past_event(3, [municipality("sodankyla")], [t1])
    form = page_text(coordinator.get(f"/admin/plan/measures/{t1.id}?lang=en").text)
    assert "(?measure=T1): a new code breaks them" in form
    url = f"/admin/plan/measures/{t1.id}/delete?lang=en"
    page = coordinator.get(url)
    assert page.status_code == 409
    assert "Events serve this measure (1)" in page_text(page.text)
    refused = coordinator.post(
        url, data={"csrf_token": csrf_token(coordinator.get("/admin/plan?lang=en").text)}
    )
    assert refused.status_code == 409
    db.session.expire_all()
    assert measure("T1") is not None


def test_an_unused_measure_is_deleted_after_confirming(coordinator):
    post_form(coordinator, "/admin/plan/measures/new?lang=en", _measure_form())
    db.session.expire_all()
    new = measure("T20")
    url = f"/admin/plan/measures/{new.id}/delete?lang=en"
    confirm = coordinator.get(url)
    assert confirm.status_code == 200 and "Deleting cannot be undone" in confirm.text
    response = coordinator.post(url, data={"csrf_token": csrf_token(confirm.text)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(sa.select(Measure).where(Measure.code == "T20")) is None
    [entry] = _audit("measure.deleted")
    assert entry.before["title"] == "Kylien turvallisuuskävelyt"


def test_focus_areas_are_added_edited_and_deleted_only_when_unused(coordinator):
    response = post_form(
        coordinator,
        "/admin/plan/focus-areas/new?lang=en",
        {
            "code": "S7",
            "kind": "safety_theme",
            "name_fi": "Digiturvallisuus",
            "name_sv": "Digital säkerhet",
            "name_en": "Digital safety",
            "position": "7",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    area = db.session.scalars(sa.select(FocusArea).where(FocusArea.code == "S7")).one()
    assert area.plan_id == db.session.scalar(sa.select(Plan.id))
    # Finnish readers see the Finnish name, Swedish readers the Swedish one.
    assert "Digiturvallisuus" in coordinator.get("/admin/plan?lang=fi").text
    assert "Digital säkerhet" in coordinator.get("/admin/plan?lang=sv").text

    clash = post_form(
        coordinator,
        f"/admin/plan/focus-areas/{area.id}?lang=en",
        {"code": "s1", "kind": "safety_theme", "name_fi": "x", "name_sv": "x", "name_en": "x"},
    )
    assert clash.status_code == 400
    assert field_error(clash.text, "code") == "This code is already in use."
    # The history names the kind by its label, in the reader's language.
    history = page_text(coordinator.get(f"/admin/plan/focus-areas/{area.id}?lang=sv").text)
    assert "Fokusområde tillagt" in history and "Säkerhetsplanens tema" in history
    assert "safety_theme" not in history

    used = db.session.scalars(sa.select(FocusArea).where(FocusArea.code == "S5")).one()
    refused = coordinator.get(f"/admin/plan/focus-areas/{used.id}/delete?lang=en")
    assert refused.status_code == 409
    assert "measures belong to this focus area" in page_text(refused.text)

    area_id = area.id
    url = f"/admin/plan/focus-areas/{area_id}/delete?lang=en"
    assert post_form(coordinator, url, {}).status_code == 303
    db.session.expire_all()
    assert db.session.get(FocusArea, area_id) is None


def test_coordinator_fills_in_an_indicators_source_and_target(coordinator):
    violent = indicator("violent-crimes")
    url = f"/admin/plan/indicators/{violent.id}?lang=en"
    data = {
        "code": "violent-crimes",
        "name": violent.name,
        "unit": violent.unit,
        "source": "Sotkanet 3113",
        "direction": "lower_is_better",
        "target_value": "4,5",
    }
    assert post_form(coordinator, url, data).status_code == 303
    db.session.expire_all()
    violent = indicator("violent-crimes")
    assert (violent.source, violent.target_value) == ("Sotkanet 3113", 4.5)
    assert violent.direction is IndicatorDirection.LOWER_IS_BETTER
    assert "4,5" in coordinator.get(url.replace("lang=en", "lang=fi")).text

    bad = post_form(coordinator, url, {**data, "code": "Violent Crimes", "direction": "sideways"})
    assert bad.status_code == 400
    assert "lower-case letters" in field_error(bad.text, "code")
    assert field_error(bad.text, "direction") is not None


def test_figures_are_added_replaced_and_deleted(coordinator):
    plans = indicator("hytu-plans")
    url = f"/admin/plan/indicators/{plans.id}/values?lang=en"
    response = post_form(coordinator, url, {"municipality": "", "year": "2026", "value": "3"})
    assert response.status_code == 303
    inari = municipality("inari")
    post_form(coordinator, url, {"municipality": str(inari.id), "year": "2026", "value": "0,5"})
    replaced = post_form(coordinator, url, {"municipality": "", "year": "2026", "value": "4"})
    assert replaced.status_code == 303
    db.session.expire_all()
    rows = {
        (v.municipality_id, v.year): v.value
        for v in db.session.scalars(
            sa.select(IndicatorValue).where(IndicatorValue.indicator_id == plans.id)
        )
    }
    assert rows[(None, 2026)] == 4.0 and rows[(inari.id, 2026)] == 0.5

    html = coordinator.get(url.replace("lang=en", "lang=fi")).text
    page = page_text(html)
    assert "2026 Koko maakunta 4" in page and "2026 Inari 0,5" in page
    # Charts compare them: the region year by year (2020 seeded, 2026 added), and the
    # municipalities in the latest year, with the numbers written the Finnish way.
    years = re.search(r'<svg[^>]*id="chart-indicator-years".*?</svg>', html, re.S).group(0)
    assert re.findall(r'class="chart__label"[^>]*>([^<]+)<', years) == ["2020", "2026"]
    assert re.findall(r'class="chart__value"[^>]*>([^<]+)<', years) == ["0", "4"]
    towns = re.search(
        r'<div class="bars" id="chart-indicator-municipalities".*?</div></div>', html, re.S
    )
    assert "Inari" in towns.group(0) and ">0,5<" in towns.group(0)
    history = page_text(coordinator.get(url).text)
    assert "Figure saved" in history and "Value 3 → changed to 4" in history

    # The dashboard shows the latest region-wide figure of the measure's indicator.
    dashboard = page_text(coordinator.get("/admin/dashboard?lang=en").text)
    assert (
        "Municipalities with a combined welfare and safety plan 4 municipalities (2026) 21"
        in dashboard
    )

    region = db.session.scalars(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == plans.id,
            IndicatorValue.municipality_id.is_(None),
            IndicatorValue.year == 2026,
        )
    ).one()
    region_id = region.id
    delete_url = f"/admin/plan/indicators/{plans.id}/values/{region_id}/delete?lang=en"
    assert post_form(coordinator, delete_url, {}).status_code == 303
    db.session.expire_all()
    assert db.session.get(IndicatorValue, region_id) is None
    assert len(_audit("indicator_value.deleted")) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"municipality": "", "year": "1800", "value": "1"}, "year", "between 1900 and 2200"),
        ({"municipality": "", "year": "2026", "value": "paljon"}, "value", "Enter a number"),
        ({"municipality": "", "year": "2026", "value": ""}, "value", "Enter a number"),
        ({"municipality": "424242", "year": "2026", "value": "1"}, "municipality", "Choose"),
    ],
)
def test_a_bad_figure_is_refused_with_a_reason(coordinator, data, field, message):
    count = sa.select(sa.func.count()).select_from(IndicatorValue)
    before = db.session.scalar(count)
    plans = indicator("hytu-plans")
    url = f"/admin/plan/indicators/{plans.id}/values?lang=en"
    response = post_form(coordinator, url, data)
    assert response.status_code == 400
    assert message in (field_error(response.text, field) or "")
    db.session.expire_all()
    assert db.session.scalar(count) == before


def test_an_indicator_with_figures_cannot_be_deleted(coordinator):
    plans = indicator("hytu-plans")
    db.session.add(IndicatorValue(indicator_id=plans.id, year=2025, value=1.0))
    db.session.commit()
    response = coordinator.get(f"/admin/plan/indicators/{plans.id}/delete?lang=en")
    assert response.status_code == 409
    assert "an indicator with figures cannot be deleted" in page_text(response.text)


def test_the_plan_is_renamed_and_its_period_checked(coordinator):
    url = "/admin/plan/edit?lang=en"
    bad = post_form(
        coordinator, url, {"name": "Suunnitelma", "start_year": "2026", "end_year": "2021"}
    )
    assert bad.status_code == 400
    assert field_error(bad.text, "end_year") == "The last year cannot be before the first year."
    ok = post_form(
        coordinator,
        url,
        {"name": "Toimeenpanosuunnitelma 2026-2030", "start_year": "2026", "end_year": "2030"},
    )
    assert ok.status_code == 303
    db.session.expire_all()
    plan = db.session.scalars(sa.select(Plan)).one()
    assert (plan.name, plan.start_year, plan.end_year) == (
        "Toimeenpanosuunnitelma 2026-2030",
        2026,
        2030,
    )
    assert "Toimeenpanosuunnitelma 2026-2030, 2026–2030" in page_text(
        coordinator.get("/admin/plan?lang=en").text
    )


def test_without_a_plan_coordinators_are_asked_to_name_it_first(client, app):
    log_in(client, make_user(Role.COORDINATOR))
    response = client.get("/admin/plan/measures/new?lang=en")
    assert response.status_code == 303 and response.location.endswith("/admin/plan/edit")
    assert "No plan yet" in client.get("/admin/plan?lang=en").text


def test_viewers_see_the_plan_and_figures_but_change_nothing(client, seeded):
    log_in(client, make_user(Role.VIEWER, email="viewer@example.fi"))
    overview = client.get("/admin/plan?lang=en")
    assert overview.status_code == 200
    assert "HYTU clinics for the municipalities" in overview.text
    assert "/admin/plan/measures/new" not in overview.text
    assert f"/admin/plan/measures/{measure('T1').id}" not in overview.text
    plans = indicator("hytu-plans")
    values = client.get(f"/admin/plan/indicators/{plans.id}/values?lang=en")
    assert values.status_code == 200 and "Add or replace a figure" not in values.text
    assert client.get(f"/admin/plan/measures/{measure('T1').id}").status_code == 403


def test_the_overview_takes_the_same_queries_for_many_measures(coordinator):
    def queries() -> int:
        db.session.expire_all()
        with counting_queries() as statements:
            assert coordinator.get("/admin/plan?lang=en").status_code == 200
        return len(statements)

    few = queries()
    plan_id = db.session.scalar(sa.select(Plan.id))
    areas = list(db.session.scalars(sa.select(FocusArea)))
    for n in range(40):
        db.session.add(
            Measure(
                plan_id=plan_id,
                code=f"X{n}",
                title=f"Lisätoimenpide {n}",
                start_year=2025,
                end_year=2026,
                focus_areas=areas[:2],
            )
        )
    db.session.commit()
    assert queries() == few


def test_a_measure_linked_while_its_delete_was_confirmed_is_kept(coordinator, monkeypatch):
    """The check and the delete are two steps: an event linked in between wins."""
    from hytu_events.plan import editing

    t1 = measure("T1")
    past_event(3, [municipality("sodankyla")], [t1])
    calls = []
    check = editing.why_not_delete_measure

    def late_check(m):
        """The first check misses the link, as if it came just after."""
        calls.append(m)
        return None if len(calls) == 1 else check(m)

    monkeypatch.setattr(editing, "why_not_delete_measure", late_check)
    url = f"/admin/plan/measures/{t1.id}/delete?lang=en"
    token = csrf_token(coordinator.get("/admin/plan?lang=en").text)
    response = coordinator.post(url, data={"csrf_token": token})
    assert response.status_code == 409
    assert "Events serve this measure (1)" in page_text(response.text)
    db.session.expire_all()
    assert measure("T1") is not None
    assert (
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "measure.deleted")
        ).all()
        == []
    )


def test_indicators_speak_the_readers_language_on_the_public_summary(client, seeded):
    plans = indicator("hytu-plans")
    db.session.add(IndicatorValue(indicator_id=plans.id, year=2026, value=3))
    db.session.commit()
    finnish = page_text(client.get("/summary?lang=fi").text)
    swedish = page_text(client.get("/summary?lang=sv").text)
    assert (
        "Kunnat, joilla on yhdistetty hyvinvointi- ja turvallisuussuunnitelma 3 kuntaa" in finnish
    )
    assert "Kommuner med en kombinerad välfärds- och säkerhetsplan 3 kommuner" in swedish
    # An indicator with no Swedish name shows its Finnish one.
    plans.name_sv = None
    db.session.commit()
    swedish = page_text(client.get("/summary?lang=sv").text)
    assert (
        "Kunnat, joilla on yhdistetty hyvinvointi- ja turvallisuussuunnitelma 3 kommuner" in swedish
    )
