"""The answers in the dashboard, the report and its downloads: counted from the rows."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from hytu_events.accounts.models import Role
from hytu_events.events.models import Event, EventKind
from hytu_events.extensions import db
from hytu_events.feedback.answering import Answer, record_answer
from hytu_events.feedback.models import FeedbackAnswer, FeedbackRequest, Helped
from hytu_events.feedback.results import summary_of
from tests.accounts.helpers import log_in, make_user
from tests.helpers import municipality, page_text
from tests.plan.helpers import measure, register

from .helpers import ended_event


def _answered(event, town, score, helped=Helped.YES):
    person = register(event, municipality=municipality(town))
    request = FeedbackRequest(registration_id=person.id, event_id=event.id)
    db.session.add(request)
    db.session.flush()
    record_answer(request, person, Answer(score, {measure("T1").id: helped}, take_forward="x"))
    db.session.commit()


def _two_events():
    clinic = ended_event(kind=EventKind.HYTU_CLINIC)
    coffee = ended_event(kind=EventKind.VIRTUAL_COFFEE, title="Virtuaalikahvit")
    _answered(clinic, "inari", 5)
    _answered(clinic, "inari", 3, Helped.PARTLY)
    _answered(coffee, "kemi", 2, Helped.NO)
    asked_only = register(coffee)
    db.session.add(FeedbackRequest(registration_id=asked_only.id, event_id=coffee.id))
    db.session.commit()
    return clinic, coffee


def test_the_summary_is_the_counts_of_the_rows(app):
    _two_events()
    summary = summary_of(sa.select(Event.id), "fi")
    rows = list(db.session.scalars(sa.select(FeedbackAnswer)))
    assert (summary.asked, summary.answered) == (4, len(rows))
    assert summary.average == round(sum(r.usefulness for r in rows) / len(rows), 2)
    kinds = {row.label: (row.answered, row.average) for row in summary.kinds}
    assert kinds == {
        EventKind.HYTU_CLINIC.label: (2, 4.0),
        EventKind.VIRTUAL_COFFEE.label: (1, 2.0),
    }
    towns = {row.label: row.answered for row in summary.municipalities}
    assert towns == {"Inari": 2, "Kemi": 1}
    [t1] = summary.measures
    assert t1.counts == {Helped.YES: 1, Helped.PARTLY: 1, Helped.NO: 1}


def test_the_dashboard_and_the_downloads_show_the_feedback(app, client):
    clinic, coffee = _two_events()
    log_in(client, make_user(Role.VIEWER, email="katsoja@example.fi"))
    dashboard = page_text(client.get("/admin/dashboard?lang=en").text)
    assert "3 answers of 4 asked." in dashboard
    assert "Average usefulness 3.33 on a scale from 1 to 5." in dashboard
    # Averages as Finnish writes them, in the sentence and in the charts' tables (by type:
    # the clinic's 4.0 is "4", not "4.0").
    finnish = client.get("/admin/dashboard?lang=fi").text
    assert "3,33" in page_text(finnish)
    assert "<td>4</td>" in finnish and "<td>4.0</td>" not in finnish
    report = page_text(client.get("/admin/report?lang=en").text)
    assert "3 answers of 4 asked." in report

    body = client.get("/admin/reports/feedback.csv?lang=en").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    header, lines = rows[0], rows[1:]
    by_title = {line[1]: dict(zip(header, line, strict=True)) for line in lines}
    assert by_title[clinic.title]["Asked"] == "2" and by_title[clinic.title]["Answers"] == "2"
    assert by_title[coffee.title]["Answers"] == "1" and by_title[coffee.title]["Asked"] == "2"

    sheet = load_workbook(
        io.BytesIO(client.get("/admin/reports/feedback-measures.xlsx?lang=en").data)
    ).active
    [header, t1] = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert dict(zip(header, t1, strict=True))["Yes"] == 1
    assert dict(zip(header, t1, strict=True))["Helped (yes or partly), %"] == 67
