"""The reporting pages as coordinators, viewers and the public use them: the public summary,
the dashboard, the tracker and the downloads."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from openpyxl import load_workbook

from hytu_events.accounts.models import Role
from hytu_events.extensions import db
from hytu_events.plan.models import MunicipalPlanStatus
from hytu_events.plan.seed import seed_plan
from hytu_events.plan.statuses import status_of
from tests.helpers import csrf_token, municipality, organisation, page_text
from tests.outcomes.helpers import outcome_form_token
from tests.plan.helpers import log_in, make_user, measure, past_event, register


@pytest.fixture
def seeded(app: Flask):
    seed_plan()
    db.session.commit()


def test_every_back_office_route_of_the_plan_requires_a_role(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("reporting.", "outcomes.", "plan_edit.")):
            view = app.view_functions[rule.endpoint]
            assert getattr(view, "required_role", None) in (Role.VIEWER, Role.COORDINATOR), rule
            if rule.methods & {"POST", "PUT", "DELETE"}:
                assert view.required_role is Role.COORDINATOR, rule


def test_anonymous_visitors_are_sent_to_log_in(client, seeded):
    response = client.get("/admin/dashboard")
    assert response.status_code == 302 and "/login" in response.location


def test_public_summary_shows_counts_but_no_personal_data(client, seeded):
    event = past_event(3, [municipality("inari")], [measure("T1")])
    register(
        event,
        organisation("lapin-avi"),
        municipality("inari"),
        name="Salainen Sukunimi",
        email="salainen.henkilo@example.fi",
    )
    html = client.get("/summary?lang=en").text
    text = page_text(html)
    assert "Salainen" not in html and "salainen.henkilo" not in html
    assert "@example.fi" not in html
    assert "HYTU clinics for the municipalities" in text
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html


def test_summary_rejects_a_bad_filter(client, seeded):
    assert client.get("/summary?year=soon").status_code == 400
    assert client.get("/summary?sub_region=narnia").status_code == 400
    assert client.get("/summary?year=2026&sub_region=pohjois-lappi").status_code == 200


def test_viewer_sees_the_dashboard_but_cannot_change_anything(client, seeded):
    log_in(client, make_user(Role.VIEWER))
    event = past_event(2, [municipality("salla")], [measure("T1")])
    register(event, organisation("lapin-avi"), municipality("salla"))
    text = page_text(client.get("/admin/dashboard?lang=en").text)
    assert "Events held" in text and "Salla" in text
    token = outcome_form_token(client, event.id)
    response = client.post(f"/admin/events/{event.id}/outcome", data=token | {"summary": "x"})
    assert response.status_code == 403


def test_tracker_records_a_council_decision(client, seeded):
    log_in(client, make_user())
    page = client.get("/admin/plan/municipalities?lang=en")
    tornio = municipality("tornio")
    response = client.post(
        "/admin/plan/municipalities?lang=en",
        data={
            "csrf_token": csrf_token(page.text),
            "municipality": tornio.id,
            "status": "approved",
            "changed_on": "2026-03-12",
            "source_text": "Valtuusto 12.3.2026 § 15",
            "note": "",
        },
    )
    assert response.status_code == 303
    assert status_of(tornio.id) is MunicipalPlanStatus.APPROVED
    history = page_text(client.get(f"/admin/plan/municipalities?municipality={tornio.id}").text)
    assert "Valtuusto 12.3.2026 § 15" in history
    response = client.post(
        "/admin/plan/municipalities?lang=en",
        data={
            "csrf_token": csrf_token(page.text),
            "municipality": tornio.id,
            "status": "approved",
            "changed_on": "2026-03-12",
            "source_text": "",
        },
    )
    assert response.status_code == 400


def test_downloads(client, seeded):
    log_in(client, make_user(Role.VIEWER))
    event = past_event(2, [municipality("salla")], [measure("T1")], title="=HYPERLINK(x)")
    register(event, organisation("lapin-avi"), municipality("salla"))
    from hytu_events.outcomes.outcomes import FollowUpInput, OutcomeInput, record_outcome

    record_outcome(
        event, OutcomeInput(summary="Hyvä päivä", follow_ups=[FollowUpInput("Jatko", "Kunta")])
    )
    db.session.commit()
    csv_file = client.get("/admin/reports/outcomes.csv")
    assert csv_file.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv_body = csv_file.data
    assert csv_body.startswith("\ufeff".encode())
    text = csv_body.decode("utf-8-sig")
    assert "Hyvä päivä" in text and "'=HYPERLINK(x)" in text
    # Semicolons, like every CSV download: Finnish and Swedish Excel split on them.
    assert ";" in text.splitlines()[0] and "," not in text.splitlines()[0]
    xlsx = client.get("/admin/reports/follow-ups.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2:4] == ("Jatko", "Kunta")
    assert client.get("/admin/reports/secrets.csv").status_code == 404
    report = client.get("/admin/report?lang=en")
    assert report.status_code == 200 and "Printable" not in report.text
