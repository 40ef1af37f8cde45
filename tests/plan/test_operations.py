"""The plan's operations called directly, without HTTP: each saves its rows and records its own
audit entry, and each refusal saves nothing and records nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from hytu_events.extensions import db
from hytu_events.outcomes.outcomes import OutcomeInput, record_outcome
from hytu_events.plan import editing, figures
from hytu_events.plan.importing import import_plan_file
from hytu_events.plan.models import (
    FocusArea,
    FocusAreaKind,
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Measure,
    Plan,
)
from hytu_events.plan.queries import current_plan
from hytu_events.plan.seed import seed_plan
from tests.helpers import municipality, organisation
from tests.plan.helpers import audit_entries, measure, past_event


@pytest.fixture
def seeded(app: Flask):
    seed_plan()
    db.session.commit()


def _indicator(code: str) -> Indicator:
    return db.session.scalars(sa.select(Indicator).where(Indicator.code == code)).one()


def _measure_values(**overrides) -> dict:
    areas = {a.code: a.id for a in db.session.scalars(sa.select(FocusArea))}
    values = {
        "code": "T20",
        "title": "Kylien turvallisuuskävelyt",
        "title_sv": None,
        "title_en": "Safety walks in the villages",
        "description": "",
        "start_year": 2025,
        "end_year": 2027,
        "target_text": None,
        "target_number": 6.0,
        "focus_areas": [areas["S5"]],
        "organisations": [organisation("lappilaiset-kylat").id],
        "indicators": [_indicator("home-accidents").id],
    }
    return values | overrides


def test_the_plan_is_named_then_changed(app: Flask):
    plan = editing.save_plan(
        None, {"name": "Uusi suunnitelma", "start_year": 2026, "end_year": 2030}
    )
    db.session.commit()
    assert db.session.scalars(sa.select(Plan.name)).all() == ["Uusi suunnitelma"]
    [created] = audit_entries("plan.created")
    assert (created.target_type, created.target_id) == ("plan", plan.id)
    assert created.before is None
    assert created.after == {"name": "Uusi suunnitelma", "start_year": 2026, "end_year": 2030}
    editing.save_plan(plan, {"name": "Uusi suunnitelma", "start_year": 2026, "end_year": 2031})
    db.session.commit()
    [updated] = audit_entries("plan.updated")
    assert (updated.before["end_year"], updated.after["end_year"]) == (2030, 2031)


def test_a_measure_is_added_with_its_related_rows_and_recorded(seeded):
    plan = current_plan()
    added = editing.create(Measure, _measure_values(), plan_id=plan.id)
    db.session.commit()
    db.session.expire_all()
    saved = measure("T20")
    assert saved.id == added.id and saved.plan_id == plan.id
    assert saved.title_en == "Safety walks in the villages" and saved.target_number == 6.0
    assert [a.code for a in saved.focus_areas] == ["S5"]
    assert [i.code for i in saved.indicators] == ["home-accidents"]
    [entry] = audit_entries("measure.created")
    assert (entry.target_type, entry.target_id, entry.before) == ("measure", saved.id, None)
    assert entry.after["code"] == "T20" and entry.after["target_number"] == "6"
    assert entry.after["focus_areas"] == ["S5"]
    assert entry.after["indicators"] == ["home-accidents"]


def test_a_measure_is_changed_and_the_change_recorded(seeded):
    t1 = measure("T1")
    old_title = t1.title
    values = _measure_values(code="T1", title="Uusi otsikko", focus_areas=[], indicators=[])
    editing.update(t1, values)
    db.session.commit()
    db.session.expire_all()
    assert measure("T1").title == "Uusi otsikko" and measure("T1").focus_areas == []
    [entry] = audit_entries("measure.updated")
    assert entry.target_id == t1.id
    assert (entry.before["title"], entry.after["title"]) == (old_title, "Uusi otsikko")
    assert entry.before["focus_areas"] and entry.after["focus_areas"] == []


def test_a_code_taken_meanwhile_is_an_integrity_error(seeded):
    with pytest.raises(sa.exc.IntegrityError):
        editing.create(Measure, _measure_values(code="T1"), plan_id=current_plan().id)
    db.session.rollback()
    assert audit_entries("measure.created") == []


def test_focus_areas_and_indicators_are_added_and_deleted_when_unused(seeded):
    area = editing.create(
        FocusArea,
        {
            "code": "S9",
            "kind": FocusAreaKind.SAFETY_THEME,
            "name_fi": "Uusi teema",
            "name_sv": "Nytt tema",
            "name_en": "New theme",
            "position": 9,
        },
        plan_id=current_plan().id,
    )
    indicator = editing.create(
        Indicator,
        {
            "code": "new-indicator",
            "name": "Uusi mittari",
            "unit": "kpl",
            "source": "HYTU-verkosto",
            "name_sv": None,
            "name_en": None,
            "unit_sv": None,
            "unit_en": None,
            "direction": IndicatorDirection.HIGHER_IS_BETTER,
            "target_value": None,
        },
    )
    db.session.commit()
    assert [e.target_id for e in audit_entries("focus_area.created")] == [area.id]
    assert [e.target_id for e in audit_entries("indicator.created")] == [indicator.id]
    assert editing.delete(area) is None and editing.delete(indicator) is None
    db.session.commit()
    assert db.session.scalar(sa.select(FocusArea).where(FocusArea.code == "S9")) is None
    assert db.session.scalar(sa.select(Indicator).where(Indicator.code == "new-indicator")) is None
    [area_entry] = audit_entries("focus_area.deleted")
    assert area_entry.before["name_fi"] == "Uusi teema" and area_entry.after is None
    [indicator_entry] = audit_entries("indicator.deleted")
    assert indicator_entry.before["code"] == "new-indicator"


def test_a_focus_area_with_measures_is_refused_and_nothing_recorded(seeded):
    area = db.session.scalars(sa.select(FocusArea).where(FocusArea.code == "S5")).one()
    with force_locale("en"):
        reason = editing.delete(area)
    db.session.commit()
    assert "3 measures belong to this focus area" in reason
    assert db.session.get(FocusArea, area.id) is not None
    assert audit_entries("focus_area.deleted") == []


def test_a_measure_that_events_serve_or_outcomes_record_is_refused(seeded):
    served, recorded = measure("T1"), measure("T2")
    past_event(3, [municipality("salla")], [served])
    event = past_event(4, [municipality("salla")])
    record_outcome(event, OutcomeInput(summary="Muistio", measures={recorded.id: ""}))
    db.session.commit()
    with force_locale("en"):
        assert "Events serve this measure (1) or outcomes record it (0)" in editing.delete(served)
        # The outcome is counted by the outcomes package, which the plan never imports.
        reason = editing.delete(recorded)
    assert "Events serve this measure (0) or outcomes record it (1)" in reason
    db.session.commit()
    assert db.session.get(Measure, served.id) is not None
    assert db.session.get(Measure, recorded.id) is not None
    assert audit_entries("measure.deleted") == []


def test_an_unused_measure_is_deleted_and_recorded(seeded):
    t8 = measure("T8")
    assert editing.delete(t8) is None
    db.session.commit()
    assert db.session.scalar(sa.select(Measure).where(Measure.code == "T8")) is None
    [entry] = audit_entries("measure.deleted")
    assert (entry.target_id, entry.before["code"]) == (t8.id, "T8")


def test_figures_are_added_replaced_and_deleted_on_the_indicators_history(seeded):
    indicator = _indicator("traffic-injuries")
    salla = municipality("salla")
    first = figures.save_figure(indicator, salla.id, 2024, 12.5)
    db.session.commit()
    assert first.previous is None
    again = figures.save_figure(indicator, salla.id, 2024, 13.0)
    db.session.commit()
    assert again.previous == 12.5 and again.value.id == first.value.id
    row = db.session.get(IndicatorValue, first.value.id)
    assert (row.municipality_id, row.year, row.value) == (salla.id, 2024, 13.0)
    saved = audit_entries("indicator_value.saved")
    assert [(e.target_type, e.target_id) for e in saved] == [("indicator", indicator.id)] * 2
    assert saved[0].before is None
    assert saved[0].after == {"area": "Salla", "year": 2024, "value": "12.5"}
    assert saved[1].before == {"area": "Salla", "year": 2024, "value": "12.5"}
    assert saved[1].after == {"area": "Salla", "year": 2024, "value": "13"}
    figures.delete_figure(indicator, row)
    db.session.commit()
    assert db.session.get(IndicatorValue, first.value.id) is None
    [deleted] = audit_entries("indicator_value.deleted")
    assert deleted.before == {"area": "Salla", "year": 2024, "value": "13"}


def test_an_indicator_with_figures_is_refused(seeded):
    indicator = _indicator("hytu-plans")  # the seed gives it its starting figure
    with force_locale("en"):
        assert "an indicator with figures cannot be deleted" in editing.delete(indicator)
    db.session.commit()
    assert db.session.get(Indicator, indicator.id) is not None
    assert audit_entries("indicator.deleted") == []


def test_an_uploaded_file_is_recorded_in_the_plans_history(seeded):
    text = "indicator,municipality,year,value\ntraffic-injuries,salla,2024,3\n"
    result = import_plan_file(text, "luvut.csv")
    db.session.commit()
    assert result.ok and (result.created, result.updated) == (1, 0)
    [entry] = audit_entries("plan.imported")
    assert (entry.target_type, entry.target_id) == ("plan", current_plan().id)
    assert entry.after == {
        "file": "luvut.csv",
        "kind": "indicator-values",
        "created": 1,
        "updated": 0,
    }


def test_a_rejected_file_saves_and_records_nothing(seeded):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))
    text = "indicator,municipality,year,value\ntraffic-injuries,salla,2024,3\nnope,salla,2024,1\n"
    result = import_plan_file(text, "luvut.csv")
    db.session.commit()
    assert not result.ok and [r.line for r in result.rejected] == [3]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == before
    assert audit_entries("plan.imported") == []
