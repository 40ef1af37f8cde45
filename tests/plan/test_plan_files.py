"""The plan's CSV files in the back office: upload with all-or-nothing checks, download."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask import Flask

from hytu_events.accounts.models import Role
from hytu_events.audit import AuditEntry
from hytu_events.extensions import db
from hytu_events.plan.exporting import export_csv
from hytu_events.plan.importing import import_csv
from hytu_events.plan.models import IndicatorValue, Measure
from hytu_events.plan.seed import seed_plan
from tests.helpers import csrf_token, field_error, municipality, page_text

from .helpers import log_in, make_user

URL = "/admin/plan/import?lang=en"


@pytest.fixture
def coordinator(client, app: Flask):
    seed_plan()
    db.session.commit()
    log_in(client, make_user(Role.COORDINATOR))
    return client


def _upload(client, content: bytes, filename: str = "figures.csv"):
    token = csrf_token(client.get(URL).text)
    return client.post(
        URL,
        data={"csrf_token": token, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _values() -> dict:
    db.session.expire_all()
    return {
        (v.indicator.code, v.municipality_id, v.year): v.value
        for v in db.session.scalars(sa.select(IndicatorValue))
    }


def test_a_spreadsheet_file_of_figures_is_imported(coordinator):
    content = "\ufeffindicator;municipality;year;value\nviolent-crimes;inari;2024;7,25\n"
    response = _upload(coordinator, content.encode())
    assert response.status_code == 303
    assert _values()[("violent-crimes", municipality("inari").id, 2024)] == 7.25
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "plan.imported"))
    assert entry.after == {
        "file": "figures.csv",
        "kind": "indicator-values",
        "created": 1,
        "updated": 0,
    }
    page = page_text(coordinator.get("/admin/plan?lang=en").text)
    assert "The file was imported: 1 added, 0 updated." in page


def test_a_bad_file_lists_its_lines_in_the_readers_language_and_imports_nothing(coordinator):
    before = _values()
    content = (
        "indicator,municipality,year,value\n"
        "violent-crimes,inari,2024,1\n"
        "violent-crimes,narnia,2024,1\n"
        "violent-crimes,kemi,2024,paljon\n"
    )
    response = _upload(coordinator, content.encode())
    assert response.status_code == 400
    text = page_text(response.text)
    assert "2 rows were rejected; nothing was imported" in text
    assert "3 unknown municipality 'narnia'" in text
    assert "4 value is not a number: 'paljon'" in text
    assert _values() == before
    finnish = page_text(
        coordinator.post(
            "/admin/plan/import?lang=fi",
            data={
                "csrf_token": csrf_token(coordinator.get("/admin/plan/import?lang=fi").text),
                "file": (io.BytesIO(content.encode()), "luvut.csv"),
            },
            content_type="multipart/form-data",
        ).text
    )
    assert "3 tuntematon kunta 'narnia'" in finnish


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # PostgreSQL cannot store a NUL: saving the row was psycopg.DataError, a 500.
        ("T1,Otsikko\x00,,,,2020,2025,,,,,", "title contains control characters"),
        ("T\x1b[1m,Otsikko,,,,2020,2025,,,,,", "code contains control characters"),
        ("T1,Otsikko,,,,²⁰²⁰,2025,,,,,", "start_year is not a year"),  # int() refused it
    ],
)
def test_a_file_with_control_characters_or_odd_digits_is_rejected_by_line(
    coordinator, line, reason
):
    header = "code,title,title_sv,title_en,description,start_year,end_year,target_text,"
    header += "target_number,focus_areas,organisations,indicators"
    titles = {m.code: m.title for m in db.session.scalars(sa.select(Measure))}
    response = _upload(coordinator, f"{header}\n{line}\n".encode(), "measures.csv")
    assert response.status_code == 400
    assert f"2 {reason}" in page_text(response.text)
    db.session.expire_all()
    assert {m.code: m.title for m in db.session.scalars(sa.select(Measure))} == titles


def test_multi_line_cells_keep_their_line_breaks(coordinator):
    result = import_csv(
        "code,title,title_sv,title_en,description,start_year,end_year,target_text,"
        "target_number,focus_areas,organisations,indicators\n"
        'T30,Otsikko,,,"Rivi 1\nRivi 2",2020,2025,,,,,\n'
    )
    assert result.ok, [str(r) for r in result.rejected]
    measure = db.session.scalars(sa.select(Measure).where(Measure.code == "T30")).one()
    assert measure.description == "Rivi 1\nRivi 2"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", None, "Choose a file."),
        (b"indicator,municipality,year,value\n", "figures.xlsx", "Choose a CSV file (.csv)."),
        ("indicator,municipality,year,value\nx,ä,1,1\n".encode("latin-1"), "f.csv", "UTF-8"),
    ],
)
def test_a_missing_or_unreadable_file_is_a_field_error(coordinator, content, filename, message):
    token = csrf_token(coordinator.get(URL).text)
    data = {"csrf_token": token}
    if filename:
        data["file"] = (io.BytesIO(content), filename)
    response = coordinator.post(URL, data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in (field_error(response.text, "file") or "")


def test_downloads_read_back_unchanged(coordinator):
    import_csv("indicator,municipality,year,value\ntraffic-injuries,,2023,41.5\n")
    db.session.commit()
    for kind in ("measures", "indicator-values"):
        response = coordinator.get(f"/admin/plan/export/{kind}.csv")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f'attachment; filename="hytu-{kind}.csv"'
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        body = response.data.decode("utf-8")
        assert body.startswith("\ufeff") and ";" in body.splitlines()[0]
        before = export_csv(kind)
        result = import_csv(body)
        assert result.ok and result.created == 0, result.rejected
        db.session.commit()
        assert export_csv(kind) == before
    assert "41,5" in coordinator.get("/admin/plan/export/indicator-values.csv").data.decode()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Measure)) > 0


def test_text_that_looks_like_a_formula_never_runs_and_reads_back(coordinator):
    import_csv(
        "code,title,description,start_year,end_year,target_text,target_number,"
        "focus_areas,organisations,indicators\n"
        'T9,=HYPERLINK("http://evil.example"),@SUM(1),2024,2025,-5 % vuodessa,-5,S6,,\n'
    )
    db.session.commit()
    body = coordinator.get("/admin/plan/export/measures.csv").data.decode()
    row = next(line for line in body.splitlines() if line.startswith("T9"))
    assert ';"\'=HYPERLINK(""http://evil.example"")";' in row and ";'@SUM(1);" in row
    assert ";'-5 % vuodessa;-5;" in row  # a negative target stays a number
    before = export_csv("measures")
    assert import_csv(body).ok
    db.session.commit()
    assert export_csv("measures") == before  # the apostrophes did not stick


def test_viewers_download_but_do_not_import(client, app: Flask):
    seed_plan()
    db.session.commit()
    log_in(client, make_user(Role.VIEWER, email="viewer@example.fi"))
    assert client.get("/admin/plan/export/measures.csv").status_code == 200
    assert client.get(URL).status_code == 403
    assert "/admin/plan/import" not in client.get("/admin/plan?lang=en").text
