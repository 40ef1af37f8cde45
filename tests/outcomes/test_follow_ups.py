"""The follow-ups of every event in one list: due, late, done."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from hytu_events.accounts.models import Role
from hytu_events.audit import AuditEntry
from hytu_events.extensions import db
from hytu_events.outcomes.models import FollowUp, FollowUpStatus, Outcome
from hytu_events.plan.seed import seed_plan
from tests.helpers import csrf_token, municipality, page_text
from tests.plan.helpers import log_in, make_user, past_event

TODAY = date.today()


@pytest.fixture
def follow_ups(app: Flask) -> dict[str, FollowUp]:
    seed_plan()
    event = past_event(10, [municipality("salla")], title="Sallan HYTU-klinikka")
    outcome = Outcome(event_id=event.id, summary="Hyvä klinikka")
    db.session.add(outcome)
    db.session.flush()
    rows = {
        "late": FollowUp(
            outcome_id=outcome.id,
            what="Kysely kunnille",
            who="Lapin liitto",
            due_on=TODAY - timedelta(days=3),
        ),
        "soon": FollowUp(
            outcome_id=outcome.id,
            what="Luonnos valtuustolle",
            who="Salla",
            due_on=TODAY + timedelta(days=5),
        ),
        "undated": FollowUp(outcome_id=outcome.id, what="Seuraava tapaaminen", who="AVI"),
        "done": FollowUp(
            outcome_id=outcome.id,
            what="Muistio jaettu",
            who="AVI",
            due_on=TODAY - timedelta(days=8),
            status=FollowUpStatus.DONE,
        ),
    }
    db.session.add_all(rows.values())
    db.session.commit()
    return rows


def _whats(html: str) -> list[str]:
    import re

    return re.findall(r'<th scope="row" id="follow-up-\d+">([^<]+)</th>', html)


def test_open_follow_ups_by_due_date_with_the_late_ones_marked(client, follow_ups):
    log_in(client, make_user(Role.VIEWER, email="viewer@example.fi"))
    html = client.get("/admin/follow-ups?lang=en").text
    assert _whats(html) == ["Kysely kunnille", "Luonnos valtuustolle", "Seuraava tapaaminen"]
    assert page_text(html).count("Late") == 2  # the tab and the one late row
    assert _whats(client.get("/admin/follow-ups?show=overdue").text) == ["Kysely kunnille"]
    assert _whats(client.get("/admin/follow-ups?show=done").text) == ["Muistio jaettu"]
    assert len(_whats(client.get("/admin/follow-ups?show=all").text)) == 4
    assert "Mark done" not in html  # viewers only look
    home = page_text(client.get("/admin/?lang=en").text)
    assert "1 follow-up agreed at an event is late." in home


def test_coordinator_ticks_one_off_and_opens_it_again(client, follow_ups):
    log_in(client, make_user(Role.COORDINATOR))
    late = follow_ups["late"]
    page = client.get("/admin/follow-ups?show=overdue&lang=en").text
    response = client.post(
        f"/admin/follow-ups/{late.id}/done",
        data={"csrf_token": csrf_token(page), "show": "overdue"},
    )
    assert response.status_code == 303 and response.location.endswith("show=overdue")
    db.session.expire_all()
    assert db.session.get(FollowUp, late.id).status is FollowUpStatus.DONE
    assert _whats(client.get("/admin/follow-ups?show=overdue").text) == []
    event_id = db.session.get(FollowUp, late.id).outcome.event_id
    history = page_text(client.get(f"/admin/events/{event_id}?lang=en").text)
    assert "Follow-up done: Kysely kunnille" in history
    assert "Status Open → changed to Done" in history

    client.post(f"/admin/follow-ups/{late.id}/reopen", data={"csrf_token": csrf_token(page)})
    db.session.expire_all()
    assert db.session.get(FollowUp, late.id).status is FollowUpStatus.OPEN
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["follow_up.done", "follow_up.reopened"]


def test_an_unknown_follow_up_is_a_404(client, follow_ups):
    log_in(client, make_user(Role.COORDINATOR))
    page = client.get("/admin/follow-ups").text
    response = client.post("/admin/follow-ups/999999/done", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404


def test_the_list_takes_the_same_queries_for_many_follow_ups(client, follow_ups):
    from tests.helpers import counting_queries

    log_in(client, make_user(Role.VIEWER, email="viewer@example.fi"))

    def queries() -> int:
        db.session.expire_all()
        with counting_queries() as statements:
            assert client.get("/admin/follow-ups?show=all").status_code == 200
        return len(statements)

    few = queries()
    for n in range(30):
        event = past_event(20 + n, [municipality("kemi")])
        outcome = Outcome(event_id=event.id)
        db.session.add(outcome)
        db.session.flush()
        db.session.add(FollowUp(outcome_id=outcome.id, what=f"Tehtävä {n}", due_on=TODAY))
    db.session.commit()
    assert queries() == few
