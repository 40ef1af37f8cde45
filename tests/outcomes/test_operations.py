"""The operations of outcomes called directly, without HTTP: each saves its rows and records its
own audit entry on the event's page."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from hytu_events.extensions import db
from hytu_events.outcomes.event_measures import link_measures
from hytu_events.outcomes.follow_ups import set_status
from hytu_events.outcomes.models import FollowUp, FollowUpStatus, Outcome
from hytu_events.outcomes.outcomes import (
    FollowUpInput,
    OutcomeError,
    OutcomeInput,
    StatusMove,
    record_outcome,
)
from hytu_events.plan.models import MunicipalPlanStatus
from hytu_events.plan.queries import measures_of_event
from hytu_events.plan.seed import seed_plan
from hytu_events.plan.statuses import status_of
from tests.helpers import make_event, municipality
from tests.plan.helpers import audit_entries, measure, past_event


@pytest.fixture
def seeded(app: Flask):
    seed_plan()
    db.session.commit()


def test_linking_measures_is_recorded_on_the_events_page(seeded):
    event = make_event()
    link_measures(event, [measure("T2").id, measure("T5").id])
    db.session.commit()
    assert [m.code for m in measures_of_event(event.id)] == ["T2", "T5"]
    link_measures(event, [measure("T5").id])
    db.session.commit()
    assert [m.code for m in measures_of_event(event.id)] == ["T5"]
    entries = audit_entries("event.measures")
    assert [(e.target_type, e.target_id, e.event_id) for e in entries] == [
        ("event", event.id, event.id)
    ] * 2
    assert (entries[0].before, entries[0].after) == ({"measures": []}, {"measures": ["T2", "T5"]})
    assert entries[1].after == {"measures": ["T5"]}


def test_an_outcome_is_recorded_with_its_rows_and_audit_entry(seeded):
    salla = municipality("salla")
    event = past_event(2, [salla], [measure("T1")])
    data = OutcomeInput(
        summary=" Luonnos käytiin läpi. ",
        agreements="Valtuusto keväällä.",
        measures={measure("T1").id: "Luonnos valmis"},
        follow_ups=[FollowUpInput("Lähetä muistio", "Lapin liitto", date(2030, 1, 15))],
        status_moves=[StatusMove(salla.id, MunicipalPlanStatus.DRAFT_READY, "Klinikan jälkeen")],
    )
    outcome = record_outcome(event, data)
    db.session.commit()
    db.session.expire_all()
    saved = db.session.scalars(sa.select(Outcome).where(Outcome.event_id == event.id)).one()
    assert saved.id == outcome.id and saved.summary == "Luonnos käytiin läpi."
    assert [(om.measure.code, om.note) for om in saved.measures] == [("T1", "Luonnos valmis")]
    assert [(f.what, f.due_on) for f in saved.follow_ups] == [("Lähetä muistio", date(2030, 1, 15))]
    assert status_of(salla.id) is MunicipalPlanStatus.DRAFT_READY
    [entry] = audit_entries("outcome.recorded")
    assert (entry.target_type, entry.target_id, entry.event_id) == ("outcome", outcome.id, event.id)
    assert entry.before is None
    assert entry.after == {
        "summary": "Luonnos käytiin läpi.",
        "agreements": "Valtuusto keväällä.",
        "manual_attendance": None,
    }
    record_outcome(event, OutcomeInput(summary="Korjattu", manual_attendance=12))
    db.session.commit()
    again = audit_entries("outcome.recorded")[1]
    assert again.before["summary"] == "Luonnos käytiin läpi."
    assert again.after["summary"] == "Korjattu" and again.after["manual_attendance"] == 12


def test_an_outcome_before_the_event_has_ended_is_refused_and_not_recorded(seeded):
    event = make_event()
    with force_locale("en"), pytest.raises(OutcomeError, match="have ended"):
        record_outcome(event, OutcomeInput(summary="Liian aikaisin"))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 0
    assert audit_entries("outcome.recorded") == []


def test_a_follow_up_marked_done_and_open_again_is_recorded_on_its_event(seeded):
    event = past_event(5, [municipality("salla")])
    record_outcome(event, OutcomeInput(follow_ups=[FollowUpInput("Kysely kunnille", "AVI")]))
    db.session.commit()
    follow_up = db.session.scalars(sa.select(FollowUp)).one()
    with force_locale("fi"):  # the log keeps the statuses' values, whatever the language
        assert set_status(follow_up, FollowUpStatus.DONE) is True
        assert set_status(follow_up, FollowUpStatus.DONE) is False  # already done: nothing new
        db.session.commit()
        assert db.session.get(FollowUp, follow_up.id).status is FollowUpStatus.DONE
        assert set_status(follow_up, FollowUpStatus.OPEN) is True
        db.session.commit()
    [done] = audit_entries("follow_up.done")
    [reopened] = audit_entries("follow_up.reopened")
    assert (done.target_type, done.target_id, done.event_id) == ("followup", follow_up.id, event.id)
    follow_up_was = {"follow_up": "Kysely kunnille", "status": "open"}
    assert (done.before, done.after) == (follow_up_was, {**follow_up_was, "status": "done"})
    assert reopened.after == follow_up_was
