"""What is done for a series as a whole from its page: a message to everyone registered (each
person once) and the measures all its dates serve."""

from __future__ import annotations

import re

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import AuditEntry, MessageKind, OutboxMessage
from hytu_events.plan.models import Measure, event_measures
from hytu_events.plan.seed import seed_plan
from tests.helpers import page_text, post_form
from tests.registrations.people import register_person
from tests.series.helpers import make_series


def _coordinator_messages() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == MessageKind.COORDINATOR_MESSAGE)
            .order_by(OutboxMessage.to_address)
        )
    )


def test_a_message_reaches_everyone_with_a_place_once(staff, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    first, second, third = series.dates
    register_person(second, "Aino Aikio", "aino@example.fi")
    register_person(third, "Aino Aikio", "aino@example.fi")
    register_person(third, "Eero Ylitalo", "eero@example.fi")
    response = post_form(
        staff,
        f"/admin/series/{series.id}/message?lang=en",
        {"audience": "confirmed", "subject": "Kahvit jatkuvat", "body": "Tervetuloa taas!"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/series/{series.id}"
    messages = _coordinator_messages()
    assert [(m.to_address, m.event_id) for m in messages] == [
        ("aino@example.fi", second.id),  # her next date frames the message
        ("eero@example.fi", third.id),
    ]
    assert {m.subject for m in messages} == {"Kahvit jatkuvat"}
    page = staff.get(response.headers["Location"])
    assert "The message was queued for 2 recipients." in page_text(page.text)


def test_nobody_on_the_waiting_list_sends_nothing(staff, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    register_person(series.dates[0], "Aino Aikio", "aino@example.fi")
    response = post_form(
        staff,
        f"/admin/series/{series.id}/message?lang=en",
        {"audience": "waitlisted", "subject": "Hei", "body": "Paikkoja vapautui."},
    )
    assert response.status_code == 303 and _coordinator_messages() == []


def test_an_empty_message_is_refused_at_its_field(staff, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    response = post_form(
        staff,
        f"/admin/series/{series.id}/message?lang=en",
        {"audience": "confirmed", "subject": "", "body": ""},
    )
    assert response.status_code == 422 and "Write a subject." in response.text


def test_measures_linked_on_the_series_apply_to_all_its_dates(staff, coordinator):
    seed_plan()
    series = make_series(coordinator, count=3)
    db.session.commit()
    first, second = db.session.scalars(sa.select(Measure).order_by(Measure.id).limit(2)).all()
    db.session.execute(  # one date served another measure before
        sa.insert(event_measures).values(event_id=series.dates[0].id, measure_id=second.id)
    )
    db.session.commit()
    url = f"/admin/series/{series.id}/measures?lang=en"
    assert post_form(staff, url, {"measures": [str(first.id)]}).status_code == 303
    links = db.session.execute(sa.select(event_measures.c.event_id, event_measures.c.measure_id))
    assert sorted(links) == sorted((event.id, first.id) for event in series.dates)
    html = staff.get(url).text
    checked = re.findall(r'<input checked[^>]*name="measures"[^>]*value="(\d+)"', html)
    assert checked == [str(first.id)]
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("event.measures") == 3 and actions[-1] == "series.measures"


def test_viewers_see_the_measures_but_cannot_save_them(viewer_client, coordinator):
    seed_plan()
    series = make_series(coordinator, count=1)
    db.session.commit()
    html = viewer_client.get(f"/admin/series/{series.id}/measures?lang=en").text
    assert "disabled" in html and ">Save</button>" not in html
