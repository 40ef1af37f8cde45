"""An event's pages against the plan as coordinators use them: the measures it serves, and its
outcome."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from hytu_events.extensions import db
from hytu_events.models import FollowUp, MunicipalPlanStatusChange, Outcome
from hytu_events.plan.models import IndicatorValue, MunicipalPlanStatus
from hytu_events.plan.seed import seed_plan
from hytu_events.plan.statuses import status_of
from tests.helpers import csrf_token, field_error, make_event, municipality, page_text
from tests.plan.helpers import log_in, make_user, measure, past_event

from .helpers import outcome_form_token


@pytest.fixture
def seeded(app: Flask):
    seed_plan()
    db.session.commit()


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


def test_coordinator_records_an_outcome(client, seeded):
    log_in(client, make_user())
    event = past_event(2, [municipality("salla")], [measure("T1")])
    data = outcome_form_token(client, event.id) | {
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
        data=outcome_form_token(client, event.id)
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
    data = outcome_form_token(client, event.id) | {
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
    data = outcome_form_token(client, event.id) | {
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
        data=outcome_form_token(client, event.id) | {"summary": "Liian aikaisin"},
    )
    assert response.status_code == 400
    assert "once the event has ended" in page_text(response.text)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 0


def test_before_the_event_the_outcome_page_says_when_it_opens_instead_of_a_form(client, seeded):
    log_in(client, make_user())
    event = make_event(title="HYTU-klinikka: Salla")
    page = client.get(f"/admin/events/{event.id}/outcome?lang=en")
    assert page.status_code == 200
    text = page_text(page.text)
    assert "The outcome can be recorded once the event has ended" in text
    assert str(event.ends_at.year) in text.split("once the event has ended")[1]
    assert 'name="summary"' not in page.text and "Save the outcome" not in text
