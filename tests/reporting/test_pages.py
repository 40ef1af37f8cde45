"""The plan's pages as coordinators, viewers and the public use them."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask import Flask
from openpyxl import load_workbook

from hytu_events.accounts.models import Role
from hytu_events.extensions import db
from hytu_events.models import FollowUp, MunicipalPlanStatusChange, Outcome
from hytu_events.plan.models import IndicatorValue, MunicipalPlanStatus
from hytu_events.plan.seed import seed_plan
from hytu_events.plan.tracker import status_of
from tests.helpers import (
    csrf_token,
    field_error,
    make_event,
    municipality,
    organisation,
    page_text,
)

from .helpers import log_in, make_user, measure, past_event, register


@pytest.fixture
def seeded(app: Flask):
    seed_plan()
    db.session.commit()


def test_every_back_office_route_of_the_plan_requires_a_role(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("plan_admin.", "plan_events.", "plan_edit.")):
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


def test_coordinator_links_measures_and_the_public_page_shows_them(client, seeded):
    log_in(client, make_user())
    event = make_event(title="Kuntien työpaja: Tunturi-Lappi")
    url = f"/admin/events/{event.id}/measures"
    page = client.get(url)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(page.text),
            "measures": [measure("T2").id, measure("T5").id],
        },
    )
    assert response.status_code == 303
    text = page_text(client.get(f"/events/{event.id}?lang=fi").text)
    assert "T2 Kuntien työpajat seutukunnittain" in text and "T5 Arjen turvan tiekartta" in text
    # Each reader sees the measures' titles in their language.
    text = page_text(client.get(f"/events/{event.id}?lang=sv").text)
    assert "T2 Kommunernas workshoppar per region" in text
    text = page_text(client.get(f"/events/{event.id}?lang=en").text)
    assert "T5 Everyday safety roadmap" in text
    assert "Kuntien työpaja: Tunturi-Lappi" in client.get("/?measure=t5").text
    assert "Kuntien työpaja: Tunturi-Lappi" not in client.get("/?measure=T1").text
    assert client.get("/?measure=T99").status_code == 400


def _outcome_form(client, event_id):
    page = client.get(f"/admin/events/{event_id}/outcome?lang=en")
    assert page.status_code == 200
    return {"csrf_token": csrf_token(page.text)}


def test_coordinator_records_an_outcome(client, seeded):
    log_in(client, make_user())
    event = past_event(2, [municipality("salla")], [measure("T1")])
    data = _outcome_form(client, event.id) | {
        "summary": "Suunnitelmaluonnos käytiin läpi.",
        "agreements": "Valtuustokäsittely keväällä.",
        "manual_attendance": "",
        "measures-0-measure_id": str(measure("T1").id),
        "measures-0-advanced": "y",
        "measures-0-note": "Luonnos valmis",
        "follow_ups-0-what": "Lähetä muistio",
        "follow_ups-0-who": "Lapin liitto",
        "follow_ups-0-due_on": "2030-01-15",
        "follow_ups-0-status": "open",
        "indicator_values-0-indicator": "",
        "status_moves-0-municipality": str(municipality("salla").id),
        "status_moves-0-status": "draft_ready",
        "status_moves-0-note": "Klinikan jälkeen",
    }
    response = client.post(f"/admin/events/{event.id}/outcome?lang=en", data=data)
    assert response.status_code == 303, page_text(response.text)[:500]
    db.session.expire_all()
    outcome = db.session.scalars(sa.select(Outcome).where(Outcome.event_id == event.id)).one()
    assert outcome.summary == "Suunnitelmaluonnos käytiin läpi."
    assert [(om.measure.code, om.note) for om in outcome.measures] == [("T1", "Luonnos valmis")]
    assert [(f.what, f.due_on.isoformat()) for f in outcome.follow_ups] == [
        ("Lähetä muistio", "2030-01-15")
    ]
    assert status_of(municipality("salla").id) is MunicipalPlanStatus.DRAFT_READY
    # The form comes back with what was saved, and saving it again changes nothing.
    page = client.get(f"/admin/events/{event.id}/outcome?lang=en").text
    assert "Lähetä muistio" in page and "Luonnos valmis" in page
    changes = db.session.scalar(sa.select(sa.func.count()).select_from(MunicipalPlanStatusChange))
    client.post(f"/admin/events/{event.id}/outcome?lang=en", data=data)
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(MunicipalPlanStatusChange))
        == changes
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == 1


def test_a_bad_indicator_value_is_shown_at_the_field_and_nothing_is_saved(client, seeded):
    log_in(client, make_user())
    event = past_event(2, [municipality("salla")], [measure("T1")])
    indicator_page = client.get(f"/admin/events/{event.id}/outcome?lang=en").text
    assert "Kodin ulkopuolelle" in indicator_page
    from hytu_events.plan.models import Indicator

    indicator_id = db.session.scalar(
        sa.select(Indicator.id).where(Indicator.code == "children-in-care")
    )
    response = client.post(
        f"/admin/events/{event.id}/outcome?lang=en",
        data=_outcome_form(client, event.id)
        | {
            "summary": "Tämä ei tallennu",
            "indicator_values-0-indicator": str(indicator_id),
            "indicator_values-0-municipality": "",
            "indicator_values-0-year": "2025",
            "indicator_values-0-value": "paljon",
        },
    )
    assert response.status_code == 400
    assert "Enter a number" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 1


@pytest.mark.parametrize(
    "entry, field, message",
    [
        # Optional() on the value stopped its checks, and saving read the empty value: a 500.
        ({"indicator": "{indicator}", "year": "2025", "value": ""}, "indicator", "Give the year"),
        ({"indicator": "{indicator}", "year": "", "value": "3"}, "indicator", "Give the year"),
        ({"indicator": "99999999999", "year": "2025", "value": "3"}, "indicator", "from the list"),
        ({"indicator": "{indicator}", "municipality": "x", "value": "3"}, "municipality", "list"),
    ],
    ids=["no-value", "no-year", "unknown-indicator", "forged-municipality"],
)
def test_an_incomplete_or_forged_indicator_row_is_a_field_error(
    client, seeded, entry, field, message
):
    log_in(client, make_user())
    event = past_event(2, [municipality("salla")], [measure("T1")])
    from hytu_events.plan.models import Indicator

    indicator_id = db.session.scalar(sa.select(Indicator.id).order_by(Indicator.id).limit(1))
    row = {"year": "2025", **entry}
    data = _outcome_form(client, event.id) | {
        f"indicator_values-0-{name}": value.replace("{indicator}", str(indicator_id))
        for name, value in row.items()
    }
    response = client.post(f"/admin/events/{event.id}/outcome?lang=en", data=data)
    assert response.status_code == 400
    assert message in field_error(response.text, f"indicator_values-0-{field}")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 0


def test_a_forged_measure_row_is_left_out(client, seeded):
    log_in(client, make_user())
    event = past_event(2, [municipality("salla")], [measure("T1")])
    data = _outcome_form(client, event.id) | {
        "summary": "Muistio",
        "measures-0-measure_id": "99999999999",
        "measures-0-advanced": "y",
        "measures-1-measure_id": "²",
        "measures-1-advanced": "y",
    }
    response = client.post(f"/admin/events/{event.id}/outcome?lang=en", data=data)
    assert response.status_code == 303
    outcome = db.session.scalars(sa.select(Outcome).where(Outcome.event_id == event.id)).one()
    assert outcome.summary == "Muistio" and outcome.measures == []


def test_outcome_not_accepted_before_the_event_has_ended(client, seeded):
    log_in(client, make_user())
    event = make_event()
    response = client.post(
        f"/admin/events/{event.id}/outcome?lang=en",
        data=_outcome_form(client, event.id) | {"summary": "Liian aikaisin"},
    )
    assert response.status_code == 400
    assert "have ended" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 0


def test_viewer_sees_the_dashboard_but_cannot_change_anything(client, seeded):
    log_in(client, make_user(Role.VIEWER))
    event = past_event(2, [municipality("salla")], [measure("T1")])
    register(event, organisation("lapin-avi"), municipality("salla"))
    text = page_text(client.get("/admin/dashboard?lang=en").text)
    assert "Events held" in text and "Salla" in text
    token = _outcome_form(client, event.id)
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
    from hytu_events.plan.outcomes import FollowUpInput, OutcomeInput, record_outcome

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
    xlsx = client.get("/admin/reports/follow-ups.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2:4] == ("Jatko", "Kunta")
    assert client.get("/admin/reports/secrets.csv").status_code == 404
    report = client.get("/admin/report?lang=en")
    assert report.status_code == 200 and "Printable" not in report.text
