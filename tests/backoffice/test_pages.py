"""Every back-office page renders for a coordinator and shows what they came for: the event,
its counts, the row they came for (a broken template or query fails here first)."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from hytu_events.models import EventKind, EventStatus
from tests.helpers import make_event, municipality, page_text
from tests.registrations.people import register_person

TITLE = "HYTU-klinikka: Inari"
PEOPLE = [
    ("Åsa Öhman", "asa@example.fi", "Confirmed"),
    ("Bertta Aho", "bertta@example.fi", "Confirmed"),
    ("Cecilia Kylä", "cecilia@example.fi", "On the waiting list"),
]


def _rows(html: str) -> list[list[str]]:
    """Every table row of a page, as the visible text of its cells."""
    return [
        [page_text(cell) for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr\b.*?</tr>", html, re.S)
    ]


def _value(html: str, name: str) -> str:
    [tag] = re.findall(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    match = re.search(r'value="([^"]*)"', tag)
    return match.group(1) if match else ""


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def events():
    event = make_event(title=TITLE, capacity=2)
    register_person(event, "Åsa Öhman", "asa@example.fi", org="lapin-poliisilaitos", town="tornio")
    register_person(event, "Bertta Aho", "bertta@example.fi", org="lapin-amk", town="inari")
    register_person(event, "Cecilia Kylä", "cecilia@example.fi", org=None, other="Kyläyhdistys ry")
    past = make_event(
        title="Työpaja: Kemi",
        kind=EventKind.MUNICIPAL_WORKSHOP,
        starts_at=datetime.now(UTC).replace(microsecond=0) - timedelta(days=30),
        municipalities=[municipality("kemi")],
    )
    draft = make_event(
        status=EventStatus.DRAFT,
        title="Luonnos: Sodankylä",
        venue="Sodankylän kunnantalo",
        municipalities=[municipality("sodankyla")],
    )
    make_event(status=EventStatus.DRAFT, title="Virtuaalikahvit, kesä")  # not "luo"
    return event, past, draft


def _get(staff, url: str):
    response = staff.get(url + ("&" if "?" in url else "?") + "lang=en")
    assert response.status_code == 200, (url, response.status_code, response.text[:3000])
    return response


def test_home_and_event_lists(staff, events):
    event, past, draft = events
    home = _get(staff, "/admin/").text
    upcoming = [row for row in _rows(home) if row[0] == TITLE and len(row) == 5]
    assert [row[2:] for row in upcoming] == [["2 / 2", "100%", "1"]]  # places, fill, waiting
    assert "Past events to follow up" in page_text(home)
    assert re.search(rf'href="/admin/events/{past.id}/outcome[^"]*">Record the outcome<', home)
    recent = [row[1:] for row in _rows(home) if len(row) == 4 and row[2] == TITLE]
    assert recent == [[name, TITLE, status] for name, _, status in reversed(PEOPLE)]
    assert draft.title not in page_text(home)

    listing = _get(staff, "/admin/events").text
    assert [row[2:] for row in _rows(listing)[1:]] == [["Published", "2 / 2", "1"]]
    assert _rows(listing)[1][0] == f"{TITLE} HYTU clinic"
    assert f'href="/admin/events/{event.id}' in listing

    past_list = _get(staff, "/admin/events?show=past").text
    assert [(row[0], row[2:]) for row in _rows(past_list)[1:]] == [
        ("Työpaja: Kemi Municipal workshop", ["Published", "0 / 20", "0"])
    ]

    drafts = _get(staff, "/admin/events?show=drafts&q=luo").text
    assert "1 event" in page_text(drafts)
    assert [(row[0], row[2]) for row in _rows(drafts)[1:]] == [
        ("Luonnos: Sodankylä HYTU clinic", "Draft")
    ]


def test_an_event_and_its_forms(staff, events):
    event, _, draft = events
    new = _get(staff, "/admin/events/new").text
    assert (_value(new, "title"), _value(new, "capacity")) == ("", "")
    assert "Title (required)" in page_text(new)

    facts = page_text(_get(staff, f"/admin/events/{event.id}").text)
    assert f"HYTU clinic {TITLE} Published" in facts
    assert "Place Inarin kunnantalo" in facts
    assert "Places 2 confirmed / 2, 1 on the waiting list" in facts
    assert "Municipalities Inari" in facts

    edit = _get(staff, f"/admin/events/{event.id}/edit").text
    assert (_value(edit, "title"), _value(edit, "venue"), _value(edit, "capacity")) == (
        TITLE,
        "Inarin kunnantalo",
        "2",
    )
    assert "This event is published." in page_text(edit)  # changes reach calendars

    cancel = page_text(_get(staff, f"/admin/events/{event.id}/cancel").text)
    assert f"Cancel the event {TITLE}" in cancel and "Reason for cancelling (required)" in cancel

    duplicate = page_text(_get(staff, f"/admin/events/{event.id}/duplicate").text)
    assert f"Duplicate the event {TITLE}" in duplicate and "Number of copies" in duplicate

    preview = page_text(_get(staff, f"/admin/events/{draft.id}/preview").text)
    assert "Preview for coordinators: this draft is not public yet." in preview
    assert "Luonnos: Sodankylä" in preview
    assert "Place Sodankylän kunnantalo Municipality Sodankylä" in preview
    assert "20 seats left" in preview


def test_participants_and_downloads(staff, events):
    event, past, _ = events
    page = _get(staff, f"/admin/events/{event.id}/participants").text
    assert f"{TITLE} " in page_text(page)
    assert "2 confirmed / 2 · 1 on the waiting list" in page_text(page)
    assert "3 registrations shown" in page_text(page)
    # Before the event's day there is nothing to select: name (with the email), status first.
    listed = [
        [row[0], row[1].split(" Registered ")[0]] for row in _rows(page) if "@example.fi" in row[0]
    ]
    assert listed == [[f"{name} {email}", status] for name, email, status in PEOPLE]

    add = page_text(_get(staff, f"/admin/events/{event.id}/participants/new").text)
    assert f"Add a participant {TITLE}" in add
    assert "Give a confirmed place even if the event is full" in add

    csv_file = _get(staff, f"/admin/events/{event.id}/participants.csv")
    assert csv_file.headers["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = _csv(csv_file.data)
    assert [row[:3] for row in rows] == [list(person) for person in PEOPLE]
    assert header[:3] == ["Name", "Email", "Status"]

    xlsx = _get(staff, f"/admin/events/{event.id}/participants.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    cells = [[cell.value for cell in row][:3] for row in sheet.iter_rows(min_row=2)]
    assert cells == [list(person) for person in PEOPLE]

    form = page_text(_get(staff, "/admin/exports").text)
    assert "From (required) To (required) File format Excel (XLSX) CSV" in form

    # The range holds the clinic (registrations) and the past workshop (none).
    first = past.starts_at.date().isoformat()
    last = (event.starts_at + timedelta(days=1)).date().isoformat()
    export = _get(staff, f"/admin/exports?first={first}&last={last}&format=csv")
    assert export.headers["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = _csv(export.data)
    assert header[:3] == ["Event", "Event starts", "Name"]
    assert [[row[0], row[2], row[3], row[4]] for row in rows] == [
        [TITLE, *person] for person in PEOPLE
    ]
