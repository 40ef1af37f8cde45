"""Seeding the plan, and moving measures and indicator values in and out as CSV."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from hytu_events.extensions import db
from hytu_events.models import IndicatorValue, Measure, MunicipalPlanStatusChange
from hytu_events.plan.exporting import export_csv
from hytu_events.plan.importing import import_csv
from hytu_events.plan.models import FocusArea, Indicator, MunicipalPlanStatus, Plan
from hytu_events.plan.seed import seed_plan
from hytu_events.plan.statuses import current_statuses

VALUES_HEADER = "indicator,municipality,year,value\n"
MEASURES_HEADER = (
    "code,title,description,start_year,end_year,target_text,target_number,"
    "focus_areas,organisations,indicators\n"
)


def _table_state():
    """Every row of the tables an import may touch, to compare before and after."""
    return {
        model.__tablename__: sorted(
            tuple(str(v) for v in row) for row in db.session.execute(sa.select(model.__table__))
        )
        for model in (Measure, IndicatorValue)
    } | {
        name: sorted(tuple(row) for row in db.session.execute(sa.text(f"SELECT * FROM {name}")))  # noqa: S608
        for name in ("measure_focus_areas", "measure_organisations", "measure_indicators")
    }


def test_seed_loads_the_plan_once(app: Flask):
    first = seed_plan()
    db.session.commit()
    assert first["measures"] >= 8 and first["statuses"] == 21
    counts = lambda: [  # noqa: E731
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Plan, FocusArea, Measure, Indicator, IndicatorValue, MunicipalPlanStatusChange)
    ]
    before = counts()
    again = seed_plan()
    db.session.commit()
    assert set(again.values()) == {0}
    assert counts() == before
    kinds = db.session.execute(
        sa.select(FocusArea.kind, sa.func.count()).group_by(FocusArea.kind)
    ).all()
    assert {k.value: n for k, n in kinds} == {"welfare_focus_area": 4, "safety_theme": 6}
    statuses = current_statuses()
    assert len(statuses) == 21
    assert set(statuses.values()) == {MunicipalPlanStatus.IN_PREPARATION}
    hytu = db.session.scalars(sa.select(Indicator).where(Indicator.code == "hytu-plans")).one()
    assert hytu.target_value == 21


def test_import_values_then_update(app: Flask):
    seed_plan()
    db.session.commit()
    result = import_csv(
        VALUES_HEADER
        + 'violent-crimes,inari,2022,9.5\nviolent-crimes,,2022,"8,1"\ndrug-offences,kemi,2023,3\n'
    )
    assert result.ok and (result.created, result.updated) == (3, 0)
    db.session.commit()
    result = import_csv(VALUES_HEADER + "violent-crimes,inari,2022,7\n")
    assert (result.created, result.updated) == (0, 1)
    db.session.commit()
    values = {
        (v.indicator.code, v.municipality.slug if v.municipality else None, v.year): v.value
        for v in db.session.scalars(sa.select(IndicatorValue))
    }
    assert values[("violent-crimes", "inari", 2022)] == 7
    assert values[("violent-crimes", None, 2022)] == 8.1


def test_import_measures_creates_and_updates(app: Flask):
    seed_plan()
    db.session.commit()
    result = import_csv(
        MEASURES_HEADER
        + "T9,Maahanmuuttajien tuki,Kuvaus,2022,2025,,,S6;W3,spr-lapin-piiri,\n"
        + "T1,HYTU-klinikat (uusi nimi),,2020,2025,Kaikki,21,W1,lapin-liitto,hytu-plans\n"
    )
    assert result.ok, result.rejected
    assert (result.created, result.updated) == (1, 1)
    db.session.commit()
    t9 = db.session.scalars(sa.select(Measure).where(Measure.code == "T9")).one()
    assert [a.code for a in t9.focus_areas] == ["S6", "W3"]
    assert [o.slug for o in t9.organisations] == ["spr-lapin-piiri"]
    t1 = db.session.scalars(sa.select(Measure).where(Measure.code == "T1")).one()
    assert t1.title == "HYTU-klinikat (uusi nimi)"


def test_rejected_file_names_every_bad_line_and_changes_nothing(app: Flask):
    seed_plan()
    db.session.commit()
    import_csv(VALUES_HEADER + "violent-crimes,inari,2021,9\n")
    db.session.commit()
    before = _table_state()
    result = import_csv(
        VALUES_HEADER
        + "violent-crimes,inari,2021,1\n"  # 2: an update, fine by itself
        + "violent-crimes,narnia,2022,1\n"  # 3: unknown municipality
        + "violent-crimes,kemi,2022,lots\n"  # 4: bad number
        + "no-such-indicator,kemi,2022,1\n"  # 5: unknown indicator
        + "drug-offences,kemi,2022,1\n"  # 6: fine
        + "drug-offences,kemi,2022,2\n"  # 7: duplicate within the file
        + "drug-offences,kemi,20x2,2\n"  # 8: bad year
        + "drug-offences,kemi\n"  # 9: wrong number of columns
        + "drug-offences,,2022,\n"  # 10: empty value
    )
    assert not result.ok
    with force_locale("en"):
        lines = {r.line: str(r.reason) for r in result.rejected}
    assert sorted(lines) == [3, 4, 5, 7, 8, 9, 10]
    assert "narnia" in lines[3]
    assert "not a number" in lines[4]
    assert "unknown indicator" in lines[5]
    assert "twice" in lines[7]
    assert "not a year" in lines[8]
    assert "columns" in lines[9]
    assert "empty" in lines[10]
    db.session.commit()  # even a commit after a rejected import finds nothing to save
    assert _table_state() == before


def test_rejected_measure_rows(app: Flask):
    seed_plan()
    db.session.commit()
    before = _table_state()
    result = import_csv(
        MEASURES_HEADER
        + "T9,Uusi,,2022,2025,,,S6,,\n"  # fine
        + "T9,Uusi taas,,2022,2025,,,S6,,\n"  # duplicate
        + "T10,Tuntematon alue,,2022,2025,,,X9,,\n"
        + "T11,Tuntematon järjestö,,2022,2025,,,,no-such-org,\n"
        + "T12,Väärä kausi,,2025,2022,,,,,\n"
        + "T13,,,2022,2025,,,,,\n"
        + "T14,Tavoite,,2022,2025,,paljon,,,\n"
    )
    assert {r.line for r in result.rejected} == {3, 4, 5, 6, 7, 8}
    db.session.commit()
    assert _table_state() == before


def test_wrong_columns_are_rejected_at_line_one(app: Flask):
    result = import_csv("indicator;kunta;vuosi;arvo\nviolent-crimes;inari;2022;1\n")
    assert [r.line for r in result.rejected] == [1]
    with force_locale("en"):
        assert "expected" in str(result.rejected[0].reason)


def test_export_then_import_round_trip(app: Flask):
    seed_plan()
    db.session.commit()
    import_csv(VALUES_HEADER + "violent-crimes,inari,2022,9.25\ntraffic-injuries,,2021,41\n")
    db.session.commit()
    measures, values = export_csv("measures"), export_csv("indicator-values")
    before = _table_state()
    for text in (measures, values):
        result = import_csv(text)
        assert result.ok and result.created == 0
    db.session.commit()
    assert _table_state() == before
    assert export_csv("measures") == measures and export_csv("indicator-values") == values


def test_cli_import_exit_code_and_report(app: Flask, tmp_path):
    seed_plan()
    db.session.commit()
    bad = tmp_path / "values.csv"
    bad.write_text(VALUES_HEADER + "violent-crimes,narnia,2022,1\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["plan", "import", str(bad)])
    assert result.exit_code == 2
    assert "line 2" in result.output and "narnia" in result.output
    good = tmp_path / "good.csv"
    good.write_text("\ufeff" + VALUES_HEADER + "violent-crimes,inari,2022,1\n", encoding="utf-8")
    result = runner.invoke(args=["plan", "import", str(good)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["plan", "export", "--what", "indicator-values", "-o", str(out)])
    assert result.exit_code == 0
    assert "violent-crimes,inari,2022,1" in out.read_text(encoding="utf-8")


def test_measures_with_their_swedish_and_english_titles(app: Flask):
    seed_plan()
    db.session.commit()
    header = (
        "code,title,title_sv,title_en,description,start_year,end_year,target_text,"
        "target_number,focus_areas,organisations,indicators\n"
    )
    result = import_csv(header + "T9,Uusi,Ny,New,,2022,2025,,,S6,,\n")
    assert result.ok, result.rejected
    db.session.commit()
    t9 = db.session.scalars(sa.select(Measure).where(Measure.code == "T9")).one()
    assert (t9.title_in("fi"), t9.title_in("sv"), t9.title_in("en")) == ("Uusi", "Ny", "New")
    assert export_csv("measures").splitlines()[0] == header.strip()

    too_long = import_csv(header + f"T9,Uusi,{'x' * 301},,,2022,2025,,,S6,,\n")
    with force_locale("en"):
        assert [str(r) for r in too_long.rejected] == [
            "line 2: title_sv is longer than 300 characters"
        ]


def test_seeding_again_gives_older_measures_their_translated_titles(app: Flask):
    seed_plan()
    db.session.commit()
    t1 = db.session.scalars(sa.select(Measure).where(Measure.code == "T1")).one()
    t1.title_sv, t1.title_en = None, "Clinics (our own words)"
    db.session.commit()
    seed_plan()
    db.session.commit()
    assert (t1.title_sv, t1.title_en) == ("HYTU-kliniker för kommunerna", "Clinics (our own words)")
