"""The event forms through HTTP (CSRF on): good input saves, bad input is refused at the field."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from hytu_events.events.models import Event, EventKind, EventStatus
from hytu_events.extensions import db
from hytu_events.models import AuditEntry
from tests.helpers import (
    csrf_token,
    field_error,
    make_event,
    municipality,
    organisation,
    page_text,
    post_form,
)
from tests.registrations.people import register_people

VALID = {
    "kind": "virtual_coffee",
    "title": "Virtuaalikahvit: kylien turvallisuus",
    "description": "Tunnin keskustelu Teamsissa.",
    "starts_at": "2030-01-15T09:00",
    "ends_at": "2030-01-15T10:00",
    "venue": "",
    "online_url": "https://teams.example/meet/abc",
    "capacity": "30",
    "registration_opens_at": "",
    "registration_closes_at": "2030-01-14T16:00",
}


def _events() -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Event)))


def test_creating_an_event_saves_a_draft_in_utc_with_links(staff, coordinator):
    data = {
        **VALID,
        "municipalities": [str(municipality("inari").id), str(municipality("utsjoki").id)],
        "organisations": [str(organisation("lapin-amk").id)],
        "asks_for_needs": "y",
    }
    response = post_form(staff, "/admin/events/new?lang=en", data)
    assert response.status_code == 303
    (event,) = _events()
    assert event.status is EventStatus.DRAFT
    assert event.kind is EventKind.VIRTUAL_COFFEE
    # 9.00 in Helsinki in January (UTC+2) is 7.00 UTC.
    assert event.starts_at == datetime(2030, 1, 15, 7, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime(2030, 1, 14, 14, 0, tzinfo=UTC)
    assert event.venue is None and event.asks_for_needs
    assert sorted(m.slug for m in event.municipalities) == ["inari", "utsjoki"]
    assert [o.slug for o in event.organisations] == ["lapin-amk"]
    assert event.coordinators == [coordinator]  # the creator runs it by default
    entry = db.session.scalars(sa.select(AuditEntry)).one()
    assert (entry.action, entry.event_id, entry.user_id) == (
        "event.created",
        event.id,
        coordinator.id,
    )


@pytest.mark.parametrize(
    ("language", "choose", "kinds", "message"),
    [
        ("fi", "Valitse", ["HYTU-klinikka", "Virtuaalikahvit"], "Valitse tapahtuman tyyppi."),
        ("sv", "Välj", ["HYTU-klinik", "Virtuellt kaffe"], "Välj typ av evenemang."),
    ],
)
def test_a_new_event_has_no_kind_until_one_is_chosen(staff, language, choose, kinds, message):
    page = staff.get(f"/admin/events/new?lang={language}").text
    select = re.search(r'<select[^>]*id="kind".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select)
    # The first option, which the browser shows while none is selected, is the empty one.
    assert options[0] == (' value=""', choose), options
    assert not any("selected" in attributes for attributes, _ in options)
    assert all(kind in [label for _, label in options] for kind in kinds), options
    assert "required" in select.split(">", 1)[0]
    response = post_form(staff, f"/admin/events/new?lang={language}", {**VALID, "kind": ""})
    assert field_error(response.text, "kind").endswith(message)
    assert _events() == []


def test_the_edit_form_shows_local_times(staff):
    event = make_event(starts_at=datetime(2030, 6, 1, 6, 0, tzinfo=UTC))  # 9.00 summer time
    page = staff.get(f"/admin/events/{event.id}/edit?lang=en")
    assert 'value="2030-06-01T09:00"' in page.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"kind": "party"}, "kind", "Choose a kind from the list."),
        ({"kind": ""}, "kind", "Choose the kind of event."),
        ({"starts_at": "tomorrow"}, "starts_at", "Enter a date and time"),
        ({"ends_at": "2030-01-15T08:00"}, "ends_at", "The end must be after the start."),
        ({"ends_at": "2030-01-15T09:00"}, "ends_at", "The end must be after the start."),
        ({"venue": "", "online_url": ""}, "venue", "Enter a place, an online meeting link"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "Enter a full link"),
        ({"online_url": "teams.example/meet"}, "online_url", "Enter a full link"),
        ({"capacity": "0"}, "capacity", "Enter a number from 1 up."),
        ({"capacity": "many"}, "capacity", None),
        (
            {"registration_closes_at": "2030-01-15T11:00"},
            "registration_closes_at",
            "Registration must close before the event ends.",
        ),
        (
            {"registration_opens_at": "2030-01-14T17:00"},
            "registration_opens_at",
            "Registration must open before it closes",
        ),
        ({"municipalities": ["999999"]}, "municipalities", "Choose from the list."),
        ({"title": "x" * 201}, "title", "Use at most 200 characters."),
        ({"title": "bad\x00title"}, "title", "Remove the control characters"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(staff, changes, field, message):
    response = post_form(staff, "/admin/events/new?lang=en", {**VALID, **changes})
    assert response.status_code == 200
    error = field_error(response.text, field)
    assert error, f"no error at {field}: {page_text(response.text)[:600]}"
    if message:
        assert error.startswith(message)
    assert _events() == []
    assert db.session.scalars(sa.select(AuditEntry)).all() == []


def test_capacity_may_not_drop_below_the_confirmed(staff):
    event = make_event(capacity=5)
    register_people(event, 3)
    before = (event.capacity, event.revision)
    form = staff.get(f"/admin/events/{event.id}/edit?lang=en")
    assert form.status_code == 200
    data = {**VALID, "capacity": "2", "title": event.title}
    response = post_form(staff, f"/admin/events/{event.id}/edit?lang=en", data)
    assert response.status_code == 200
    assert field_error(response.text, "capacity").startswith("3 people are already confirmed")
    db.session.expire_all()
    assert (db.session.get(Event, event.id).capacity, event.revision) == before


def test_editing_a_published_event_raises_the_revision_and_is_audited(staff):
    event = make_event(starts_at=datetime(2030, 1, 15, 7, tzinfo=UTC), venue="Inarin kunnantalo")
    data = {**VALID, "venue": "Sajos, Inari", "online_url": ""}
    response = post_form(staff, f"/admin/events/{event.id}/edit?lang=en", data)
    assert response.status_code == 303
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert (event.venue, event.revision) == ("Sajos, Inari", 1)
    entry = db.session.scalars(sa.select(AuditEntry)).one()
    assert entry.action == "event.updated"
    assert entry.before["venue"] == "Inarin kunnantalo"
    assert entry.after["venue"] == "Sajos, Inari"
    detail = staff.get(f"/admin/events/{event.id}?lang=en")
    assert "Sajos, Inari" in page_text(detail.text)
    assert "Event changed" in page_text(detail.text)


def test_cancelling_needs_a_reason_that_then_shows_publicly(staff):
    event = make_event()
    url = f"/admin/events/{event.id}/cancel?lang=en"
    refused = post_form(staff, url, {"reason": "   "})
    assert refused.status_code == 200
    assert field_error(refused.text, "reason") == "Tell participants why the event is cancelled."
    db.session.expire_all()
    assert db.session.get(Event, event.id).status is EventStatus.PUBLISHED

    done = post_form(staff, url, {"reason": "Kouluttaja sairastui, uusi aika tulossa."})
    assert done.status_code == 303
    public = staff.get(f"/events/{event.id}?lang=en")
    assert "Kouluttaja sairastui, uusi aika tulossa." in page_text(public.text)
    db.session.expire_all()
    assert db.session.get(Event, event.id).revision == 1


def test_publish_and_delete_buttons_follow_the_state(staff):
    draft = make_event(status=EventStatus.DRAFT)
    other = make_event(status=EventStatus.DRAFT, title="Toinen luonnos")
    detail = staff.get(f"/admin/events/{draft.id}?lang=en")
    token = csrf_token(detail.text)
    assert (
        staff.post(f"/admin/events/{draft.id}/publish", data={"csrf_token": token}).status_code
        == 303
    )
    again = staff.post(f"/admin/events/{draft.id}/publish?lang=en", data={"csrf_token": token})
    assert again.status_code == 409
    refused = staff.post(f"/admin/events/{draft.id}/delete?lang=en", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "Only drafts can be deleted" in page_text(refused.text)
    deleted = staff.post(f"/admin/events/{other.id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303
    assert [e.id for e in _events()] == [draft.id]


def test_without_csrf_token_nothing_changes(staff):
    draft = make_event(status=EventStatus.DRAFT)
    response = staff.post(f"/admin/events/{draft.id}/publish")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Event, draft.id).status is EventStatus.DRAFT


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"every_weeks": "1", "times": "53"}, "times", "Enter a number from 1 to 52."),
        ({"every_weeks": "1", "times": ""}, "times", "Enter how many copies to make."),
        ({"every_weeks": "0", "times": "3"}, "times", "To make several copies"),
        ({"every_weeks": "60", "times": "2"}, "every_weeks", "Enter a number from 0 to 52."),
    ],
)
def test_duplicate_form_refuses_bad_runs(staff, data, field, message):
    event = make_event()
    response = post_form(staff, f"/admin/events/{event.id}/duplicate?lang=en", data)
    assert response.status_code == 200
    assert field_error(response.text, field).startswith(message)
    assert len(_events()) == 1


def test_duplicate_form_makes_a_run(staff):
    event = make_event(kind=EventKind.VIRTUAL_COFFEE)
    data = {"every_weeks": "1", "times": "5", "publish": "y"}
    response = post_form(staff, f"/admin/events/{event.id}/duplicate?lang=en", data)
    assert response.status_code == 303
    events = sorted(_events(), key=lambda e: e.starts_at)
    assert len(events) == 6
    gaps = {b.starts_at - a.starts_at for a, b in zip(events, events[1:], strict=False)}
    assert gaps <= {timedelta(weeks=1), timedelta(weeks=1, hours=1), timedelta(weeks=1, hours=-1)}
    assert {e.status for e in events[1:]} == {EventStatus.PUBLISHED}


def test_drafts_are_previewed_by_staff_and_hidden_from_the_public(staff, app):
    draft = make_event(status=EventStatus.DRAFT, title="Salainen luonnos")
    preview = staff.get(f"/admin/events/{draft.id}/preview?lang=en")
    assert preview.status_code == 200
    assert "Salainen luonnos" in page_text(preview.text)
    assert "Preview for coordinators" in page_text(preview.text)
    anonymous = app.test_client()
    assert anonymous.get(f"/events/{draft.id}").status_code == 404
    assert anonymous.get(f"/admin/events/{draft.id}/preview").status_code == 302


def test_saving_the_edit_form_unchanged_keeps_times_and_revision(staff):
    # Created elsewhere (CLI, demo data) with seconds, which the minute inputs do not show.
    start = datetime(2030, 1, 15, 7, 0, 42, tzinfo=UTC)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2))
    page = staff.get(f"/admin/events/{event.id}/edit?lang=en")
    data = dict(
        re.findall(
            r'<input[^>]*id="(\w+)"[^>]*type="datetime-local"[^>]*value="([^"]*)"', page.text
        )
    )
    assert data["starts_at"] == "2030-01-15T09:00"
    form = {
        **VALID,
        "title": event.title,
        "venue": event.venue,
        "online_url": "",
        "capacity": str(event.capacity),
        "registration_closes_at": "",
        "municipalities": [str(m.id) for m in event.municipalities],
        "starts_at": data["starts_at"],
        "ends_at": "2030-01-15T11:00",
    }
    assert post_form(staff, f"/admin/events/{event.id}/edit?lang=en", form).status_code == 303
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert (saved.starts_at, saved.revision) == (start, 0)
