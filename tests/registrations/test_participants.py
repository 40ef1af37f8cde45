"""An event's participants: filters, sorting, adding by hand, cancelling, moving up, attendance."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext

from hytu_events.events.models import EventStatus
from hytu_events.extensions import db
from hytu_events.models import AuditEntry, Registration, RegistrationStatus
from hytu_events.partners.models import OrganisationCategory
from hytu_events.registrations import coordinator
from hytu_events.registrations.participants import ParticipantQuery, confirmed_counts, participants
from tests.helpers import csrf_token, field_error, make_event, municipality, page_text, post_form
from tests.registrations.people import details, register_people, register_person


def _names(rows) -> list[str]:
    return [r.name for r in rows]


def _reload(registration: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def _mixed_event():
    event = make_event(capacity=3)
    register_person(event, "Åsa Öhman", "asa@example.fi", org="lapin-poliisilaitos", town="tornio")
    register_person(event, "Bertta Aho", "bertta@example.fi", org="lapin-amk", town="inari")
    register_person(
        event, "Cecilia Kylä", "cecilia@example.fi", org=None, other="Kyläyhdistys ry", town=None
    )
    register_person(event, "Aarne Ärjä", "aarne@example.fi", org="spr-lapin-piiri", town=None)
    return event


def test_filters_narrow_the_list(app):
    event = _mixed_event()

    def names(**args):
        return sorted(_names(participants(event.id, ParticipantQuery.from_args(args))))

    assert names(status="waitlisted") == ["Aarne Ärjä"]
    assert names(category="authority") == ["Åsa Öhman"]
    # Organisations typed by hand have no category: they are "other".
    assert names(category="other") == ["Cecilia Kylä"]
    assert names(municipality=str(municipality("inari").id)) == ["Bertta Aho"]
    assert names(q="KYLÄ") == ["Cecilia Kylä"]  # organisation typed by hand, any case
    assert names(q="bertta@") == ["Bertta Aho"]
    assert names(q="%") == []  # LIKE wildcards are plain characters
    assert len(names(status="nonsense", category="??", municipality="x")) == 4


def test_sorting_by_each_column_and_direction(app):
    event = _mixed_event()

    def order(sort, direction="asc"):
        query = ParticipantQuery.from_args({"sort": sort, "dir": direction})
        return _names(participants(event.id, query))

    assert order("name") == ["Aarne Ärjä", "Bertta Aho", "Cecilia Kylä", "Åsa Öhman"]
    assert order("name", "desc")[0] == "Åsa Öhman"
    assert order("registered") == ["Åsa Öhman", "Bertta Aho", "Cecilia Kylä", "Aarne Ärjä"]
    assert order("status")[-1] == "Aarne Ärjä"  # waitlisted after confirmed
    assert order("organisation")[0] == "Cecilia Kylä"  # "Kyläyhdistys" before "Lapin ..."
    assert order("bogus") == order("registered")


def test_the_page_shows_sort_state_and_keeps_filters_in_sort_links(staff):
    event = _mixed_event()
    page = staff.get(
        f"/admin/events/{event.id}/participants?lang=en&sort=name&dir=desc&status=confirmed"
    )
    assert page.status_code == 200
    assert re.search(
        r'<th scope="col" aria-sort="descending">\s*<a href="[^"]*sort=name', page.text
    )
    assert page.text.count("aria-sort=") == 1
    sort_link = re.search(r'href="([^"]*sort=municipality[^"]*)"', page.text).group(1)
    assert "status=confirmed" in sort_link
    text = page_text(page.text)
    assert (
        "Åsa Öhman" in text and "Aarne Ärjä" not in text.split("Confirmed participants by group")[0]
    )


def test_counts_by_category_and_municipality(app):
    event = _mixed_event()
    counts = confirmed_counts(event.id)
    assert dict(counts.by_category) == {
        OrganisationCategory.AUTHORITY.label: 1,
        OrganisationCategory.EDUCATION_RESEARCH.label: 1,
        OrganisationCategory.OTHER.label: 1,
    }
    assert dict(counts.by_municipality) == {
        "Tornio": 1,
        "Inari": 1,
        gettext("Region-wide or outside Lapland"): 1,
    }


def test_adding_by_hand_ignores_the_window_but_not_the_capacity(app):
    past_close = datetime.now(UTC) - timedelta(hours=1)
    event = make_event(capacity=1, registration_closes_at=past_close)
    first = coordinator.add_participant(event.id, details("Eka", "eka@example.fi"))
    second = coordinator.add_participant(event.id, details("Toka", "toka@example.fi"))
    third = coordinator.add_participant(
        event.id, details("Kolmas", "kolmas@example.fi"), over_capacity=True
    )
    db.session.commit()
    assert first.registration.status is RegistrationStatus.CONFIRMED
    assert second.registration.status is RegistrationStatus.WAITLISTED
    assert third.registration.status is RegistrationStatus.CONFIRMED  # explicitly confirmed
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions == ["registration.created"] * 3


def test_add_participant_form(staff):
    event = make_event(capacity=1)
    url = f"/admin/events/{event.id}/participants/new?lang=en"
    bad = post_form(staff, url, {"name": "", "email": "not-an-email", "language": "fi"})
    assert bad.status_code == 200
    assert field_error(bad.text, "name") == "Enter your name."
    assert field_error(bad.text, "email").startswith("Enter an email address")
    assert field_error(bad.text, "organisation")
    assert db.session.scalars(sa.select(Registration)).all() == []

    data = {
        "name": "Päivi Pelastaja",
        "email": "Paivi@Example.fi",
        "organisation": "",
        "organisation_other": "Sallan VPK",
        "municipality": str(municipality("salla").id),
        "language": "fi",
    }
    assert post_form(staff, url, data).status_code == 303
    (registration,) = db.session.scalars(sa.select(Registration)).all()
    assert (registration.email, registration.status) == (
        "paivi@example.fi",
        RegistrationStatus.CONFIRMED,
    )


def test_adding_to_a_draft_is_refused_at_the_field(staff):
    event = make_event(status=EventStatus.DRAFT)
    data = {"name": "N", "email": "n@example.fi", "organisation_other": "X", "language": "fi"}
    response = post_form(staff, f"/admin/events/{event.id}/participants/new?lang=en", data)
    assert response.status_code == 200
    assert field_error(response.text, "email").startswith("Participants can be added only")
    assert db.session.scalars(sa.select(Registration)).all() == []


def test_cancelling_a_confirmed_place_promotes_and_is_audited(staff):
    event = make_event(capacity=1)
    first, second = register_people(event, 2)
    page = staff.get(f"/admin/events/{event.id}/participants?lang=en")
    token = csrf_token(page.text)
    response = staff.post(f"/admin/registrations/{first.id}/cancel", data={"csrf_token": token})
    assert response.status_code == 303
    first, second = _reload(first), _reload(second)
    assert first.status is RegistrationStatus.CANCELLED and first.cancelled_at is not None
    assert second.status is RegistrationStatus.CONFIRMED
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["registration.cancelled", "registration.promoted"]
    again = staff.post(f"/admin/registrations/{first.id}/cancel", data={"csrf_token": token})
    assert again.status_code == 409


def test_moving_up_from_the_waiting_list_needs_confirmation_when_full(staff):
    event = make_event(capacity=1)
    _first, waiting = register_people(event, 2)
    token = csrf_token(staff.get(f"/admin/events/{event.id}/participants?lang=en").text)
    url = f"/admin/registrations/{waiting.id}/promote"
    refused = staff.post(url + "?lang=en", data={"csrf_token": token}, follow_redirects=True)
    assert "The event is full" in page_text(refused.text)
    assert _reload(waiting).status is RegistrationStatus.WAITLISTED

    staff.post(url, data={"csrf_token": token, "over_capacity": "y"})
    assert _reload(waiting).status is RegistrationStatus.CONFIRMED
    assert _reload(waiting).promoted_at is not None
    assert staff.post(url, data={"csrf_token": token}).status_code == 409


_DAY_BEFORE = datetime.now(UTC) - timedelta(days=1)


def _held_today(**overrides):
    """An event that began an hour ago: attendance can be taken."""
    return make_event(
        starts_at=datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1), **overrides
    )


def test_attendance_is_marked_for_many_at_once(staff):
    event = _held_today()
    other_event = _held_today(title="Toinen")
    a, b, c = register_people(event, 3, at=_DAY_BEFORE)
    (stranger,) = register_people(other_event, 1, prefix="Vieras", at=_DAY_BEFORE)
    url = f"/admin/events/{event.id}/attendance"
    page = staff.get(f"/admin/events/{event.id}/participants?lang=en")
    assert page.text.count('name="registration"') == 3
    token = csrf_token(page.text)
    staff.post(
        url,
        data={
            "csrf_token": token,
            "registration": [str(a.id), str(b.id), str(stranger.id)],
            "attendance": "attended",
        },
    )
    staff.post(url, data={"csrf_token": token, "registration": [str(c.id)], "attendance": "absent"})
    assert [_reload(r).attended for r in (a, b, c, stranger)] == [True, True, False, None]
    assert len(db.session.scalars(sa.select(AuditEntry)).all()) == 3

    staff.post(url, data={"csrf_token": token, "registration": [str(a.id)], "attendance": "clear"})
    assert _reload(a).attended is None
    bad = staff.post(url + "?lang=en", data={"csrf_token": token, "attendance": "maybe"})
    assert bad.status_code == 400
    page = staff.get(f"/admin/events/{event.id}/participants?lang=en&sort=attended")
    assert "Did not attend" in page_text(page.text)


def test_viewers_see_participants_without_any_controls(viewer_client):
    event = _mixed_event()
    page = viewer_client.get(f"/admin/events/{event.id}/participants?lang=en")
    assert page.status_code == 200
    assert "Åsa Öhman" in page.text
    assert 'name="registration"' not in page.text
    assert "Add a participant" not in page.text


def test_everyone_confirmed_is_marked_in_one_go(staff):
    event = _held_today(capacity=2)
    first, second, waiting = register_people(event, 3, at=_DAY_BEFORE)
    token = csrf_token(staff.get(f"/admin/events/{event.id}/participants?lang=en").text)
    done = staff.post(
        f"/admin/events/{event.id}/attendance?lang=en",
        data={"csrf_token": token, "everyone": "confirmed", "attendance": "attended"},
        follow_redirects=True,
    )
    assert "Attendance marked for 2 people." in page_text(done.text)
    assert [_reload(r).attended for r in (first, second, waiting)] == [True, True, None]


def test_attendance_waits_for_the_day_of_the_event(staff):
    event = make_event(starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=9))
    (person,) = register_people(event, 1)
    page = staff.get(f"/admin/events/{event.id}/participants?lang=en")
    assert "Attendance can be marked from the day of the event" in page_text(page.text)
    assert 'name="attendance"' not in page.text
    refused = staff.post(
        f"/admin/events/{event.id}/attendance?lang=en",
        data={
            "csrf_token": csrf_token(page.text),
            "registration": [str(person.id)],
            "attendance": "attended",
        },
        follow_redirects=True,
    )
    assert "Attendance can be marked from the day of the event" in page_text(refused.text)
    assert _reload(person).attended is None
    assert db.session.scalars(sa.select(AuditEntry)).all() == []


def test_attendance_opens_at_the_start_of_the_events_own_day(app):
    # 00:30 in Lapland on 10 December is still the 9th in UTC: the day is Lapland's.
    start = datetime(2026, 12, 10, 8, 0, tzinfo=UTC)
    event = make_event(starts_at=start)
    (person,) = register_people(event, 1, at=start - timedelta(days=3))
    assert coordinator.attendance_opens_at(event) == datetime(2026, 12, 9, 22, 0, tzinfo=UTC)
    just_before = datetime(2026, 12, 9, 21, 59, tzinfo=UTC)
    try:
        coordinator.mark_attendance(event, [person.id], True, now=just_before)
    except coordinator.AttendanceNotOpen as refused:
        assert refused.opens_at == datetime(2026, 12, 9, 22, 0, tzinfo=UTC)
    else:
        raise AssertionError("attendance was accepted the day before")
    assert (
        coordinator.mark_attendance(
            event, [person.id], True, now=just_before + timedelta(minutes=1)
        )
        == 1
    )


def test_the_outcome_is_one_click_away_once_the_event_is_over(staff):
    now = datetime.now(UTC).replace(microsecond=0)
    under_way = make_event(starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=1))
    over = make_event(starts_at=now - timedelta(hours=2), ends_at=now - timedelta(minutes=5))
    for event in (under_way, over):
        register_people(event, 1, at=event.starts_at - timedelta(days=1))
    links = {
        event.id: f'href="/admin/events/{event.id}/outcome"'
        in staff.get(f"/admin/events/{event.id}/participants?lang=en").text
        for event in (under_way, over)
    }
    assert links == {under_way.id: False, over.id: True}
