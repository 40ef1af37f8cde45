"""Exports read back as a spreadsheet would: CSV with BOM and semicolons, XLSX through openpyxl."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from hytu_events.spreadsheets import neutralise
from tests.helpers import field_error, make_event
from tests.registrations.people import register_person

# 9.00 in Helsinki on a January day is 7.00 UTC.
START = datetime(2030, 1, 15, 7, 0, tzinfo=UTC)


def _event_with_finnish_names():
    event = make_event(starts_at=START, title="Työpaja: Äkäslompolo", asks_for_needs=True)
    register_person(
        event,
        "Åke Äijälä",
        "ake@example.fi",
        org=None,
        other="Kylätoimikunta ö-ryhmä",
        needs='=HYPERLINK("http://evil.example")',
    )
    register_person(event, "-Minna Öhman", "minna@example.fi", org="lapin-amk", town="inari")
    return event


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: Excel would garble ä, ö and å"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_event_csv_has_bom_localised_headers_local_times_and_finnish_letters(staff):
    event = _event_with_finnish_names()
    response = staff.get(f"/admin/events/{event.id}/participants.csv?lang=fi")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    header, first, second = _csv_rows(response.data)
    # Headers in the reader's language (these two are already in the Finnish catalog).
    assert header[:2] == ["Nimi", "Sähköposti"]
    english = staff.get(f"/admin/events/{event.id}/participants.csv?lang=en")
    header, first, second = _csv_rows(english.data)
    assert header[:3] == ["Name", "Email", "Status"]
    assert first[:2] == ["Åke Äijälä", "ake@example.fi"]
    assert first[header.index("Organisation")] == "Kylätoimikunta ö-ryhmä"
    # Formula-looking text is shown, never run.
    assert first[header.index("Needs")] == '\'=HYPERLINK("http://evil.example")'
    assert second[0] == "'-Minna Öhman"
    assert second[header.index("Municipality")] == "Inari"
    assert first[header.index("Registered")].count(":") == 1  # local "YYYY-MM-DD HH:MM"


def test_event_xlsx_reads_back_with_the_same_content(staff):
    event = _event_with_finnish_names()
    response = staff.get(f"/admin/events/{event.id}/participants.xlsx?lang=en")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:3] == ["Name", "Email", "Status"]
    assert rows[1][0] == "Åke Äijälä"
    assert rows[1][header.index("Needs")] == '\'=HYPERLINK("http://evil.example")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert rows[2][0] == "'-Minna Öhman"
    assert rows[1][header.index("Status")] == "Confirmed"


def test_range_export_lists_registrations_of_events_in_the_range(staff):
    inside = _event_with_finnish_names()
    outside = make_event(starts_at=datetime(2030, 3, 1, 7, tzinfo=UTC), title="Maaliskuu")
    register_person(outside, "Ei mukana", "ei@example.fi")
    url = "/admin/exports?lang=en&first=2030-01-15&last=2030-01-15&format=csv"
    header, *rows = _csv_rows(staff.get(url).data)
    assert header[:3] == ["Event", "Event starts", "Name"]
    assert {row[2] for row in rows} == {"Åke Äijälä", "'-Minna Öhman"}
    assert {row[0] for row in rows} == {inside.title}
    assert rows[0][1] == "2030-01-15 09:00"  # local time, not UTC

    xlsx = staff.get("/admin/exports?lang=fi&first=2030-01-01&last=2030-12-31&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 3
    assert values[0][1] == datetime(2030, 1, 15, 9, 0)


def test_range_export_refuses_bad_ranges_at_the_field(staff):
    page = staff.get("/admin/exports?lang=en&first=2030-02-01&last=2030-01-01&format=csv")
    assert page.status_code == 200
    assert field_error(page.text, "last") == "The end date must not be before the start date."
    page = staff.get("/admin/exports?lang=en&first=nonsense&last=2030-01-01&format=zip")
    assert field_error(page.text, "first")
    assert field_error(page.text, "format")


def test_neutralise_only_touches_formula_starts():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+358 40 123") == "'+358 40 123"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("Äkäslompolo") == "Äkäslompolo"
    assert neutralise(5) == 5
