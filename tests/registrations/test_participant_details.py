"""Coordinators correct a participant's details; the audit log keeps no personal values."""

from __future__ import annotations

import json

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import AuditEntry, Registration, RegistrationStatus
from hytu_events.registrations import coordinator
from tests.helpers import field_error, make_event, municipality, organisation, page_text, post_form
from tests.registrations.people import register_person


def _reload(registration_id: int) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration_id)


def _form(**overrides) -> dict:
    data = {
        "name": "Päivi Pelastaja",
        "organisation": str(organisation("lapin-pelastuslaitos").id),
        "organisation_other": "",
        "municipality": str(municipality("salla").id),
        "job_title": "palotarkastaja",
        "language": "sv",
    }
    data.update(overrides)
    return data


def test_coordinator_corrects_a_typo_and_the_organisation(staff):
    event = make_event()
    person = register_person(event, "Päivi Pelastja", "paivi@example.fi", org="lapin-amk")
    url = f"/admin/registrations/{person.id}/edit?lang=en"
    page = staff.get(url)
    assert page.status_code == 200
    assert 'value="Päivi Pelastja"' in page.text and "paivi@example.fi" in page.text

    response = post_form(staff, url, _form())
    assert response.status_code == 303
    saved = _reload(person.id)
    assert saved.name == "Päivi Pelastaja"
    assert saved.organisation.slug == "lapin-pelastuslaitos"
    assert saved.municipality.slug == "salla" and saved.job_title == "palotarkastaja"
    assert saved.language.value == "sv" and saved.email == "paivi@example.fi"
    assert saved.status is RegistrationStatus.CONFIRMED

    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "registration.updated")
    ).all()
    logged = json.dumps([entry.before, entry.after], ensure_ascii=False)
    assert "Lapin pelastuslaitos" in logged
    assert "Päivi" not in logged and "palotarkastaja" not in logged  # no personal values
    assert entry.after["personal_details"] == ["name", "job_title"]

    history = page_text(staff.get(f"/admin/events/{event.id}?lang=en").text)
    assert "Registration changed: Päivi Pelastaja" in history
    assert "Personal details changed (the log keeps no values) Name, Job title" in history


def test_a_bad_correction_shows_field_errors_and_changes_nothing(staff):
    event = make_event()
    person = register_person(event, "Aino Aho", "aino@example.fi")
    url = f"/admin/registrations/{person.id}/edit?lang=en"
    bad = post_form(staff, url, _form(name=" ", organisation="", municipality="999999"))
    assert bad.status_code == 400
    assert field_error(bad.text, "name") == "Enter your name."
    assert field_error(bad.text, "organisation")
    assert field_error(bad.text, "municipality") == "Choose a municipality from the list."
    assert _reload(person.id).name == "Aino Aho"
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "registration.updated")
        )
        == 0
    )


def test_saving_unchanged_details_records_nothing(staff):
    event = make_event()
    person = register_person(event, "Aino Aho", "aino@example.fi", org="lapin-amk", town="inari")
    url = f"/admin/registrations/{person.id}/edit?lang=en"
    same = _form(
        name="Aino Aho",
        organisation=str(organisation("lapin-amk").id),
        municipality=str(municipality("inari").id),
        job_title="",
        language="fi",
    )
    response = post_form(staff, url, same, follow_redirects=True)
    assert "Nothing was changed." in page_text(response.text)
    assert (
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "registration.updated")
        ).all()
        == []
    )


def test_a_cancelled_registration_cannot_be_edited(staff, app):
    event = make_event()
    person = register_person(event, "Aino Aho", "aino@example.fi")
    coordinator.cancel_by_coordinator(person.id)
    db.session.commit()
    response = staff.get(f"/admin/registrations/{person.id}/edit?lang=en")
    assert response.status_code == 409
    assert "A cancelled registration cannot be changed." in page_text(response.text)


def test_the_participants_table_links_to_editing_for_coordinators_only(staff, viewer_client):
    event = make_event()
    person = register_person(event, "Aino Aho", "aino@example.fi")
    link = f"/admin/registrations/{person.id}/edit"
    assert link in staff.get(f"/admin/events/{event.id}/participants?lang=en").text
    assert link not in viewer_client.get(f"/admin/events/{event.id}/participants?lang=en").text
    assert viewer_client.get(link).status_code == 403


def test_swedish_calls_a_cancelled_registration_annullerad_and_an_event_installd(staff):
    from hytu_events.events import operations

    event = make_event()
    person = register_person(event, "Aino Aho", "aino@example.fi")
    coordinator.cancel_by_coordinator(person.id)
    operations.cancel_event(event.id, "Storm")
    db.session.commit()
    table = page_text(staff.get(f"/admin/events/{event.id}/participants?lang=sv").text)
    assert "Aino Aho aino@example.fi Annullerad" in table
    detail = page_text(staff.get(f"/admin/events/{event.id}?lang=sv").text)
    assert "Inställd Storm" in detail


def test_the_participants_table_shows_each_organisations_category(staff):
    event = make_event()
    register_person(event, "Aino Aho", "aino@example.fi", org="lapin-poliisilaitos")
    register_person(event, "Kalle Kylä", "kalle@example.fi", org=None, other="Kyläyhdistys ry")
    table = page_text(staff.get(f"/admin/events/{event.id}/participants?lang=en").text)
    assert "Lapin poliisilaitos Authorities" in table
    assert "Kyläyhdistys ry Other" in table
