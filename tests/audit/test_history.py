"""The change history as readers see it: fields by the names the forms give them, in the
reader's language; times on the network's clock in the language's style; no rows where nothing
was before or after; whose attendance an entry is about; valid `<time datetime>` values."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_login import login_user

from hytu_events import audit
from hytu_events.audit.labels import FIELD_LABELS
from hytu_events.extensions import db
from hytu_events.models import AuditEntry, EventStatus, Role
from hytu_events.outcomes.event_measures import link_measures
from hytu_events.outcomes.outcomes import OutcomeInput, record_outcome
from hytu_events.plan.seed import seed_plan
from hytu_events.registrations.coordinator import mark_attendance
from tests.accounts.helpers import log_in, make_user
from tests.helpers import make_event, page_text
from tests.registrations.people import register_person


def _history(client, event_id: int, language: str) -> str:
    page = client.get(f"/admin/events/{event_id}?lang={language}")
    assert page.status_code == 200
    return page.text


def _section(html: str) -> str:
    """The text of the change history only."""
    return page_text(html.split('id="audit-title"', 1)[1])


def _entry(event, action, before, after, *, at=None, user=None) -> AuditEntry:
    entry = AuditEntry(
        at=at or datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        user_id=user.id if user else None,
        action=action,
        target_type="event",
        target_id=event.id,
        event_id=event.id,
        before=before,
        after=after,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


@pytest.fixture
def staff(client):
    coordinator = make_user(Role.COORDINATOR, name="Kaija Koordinaattori")
    log_in(client, coordinator)
    return client


@pytest.mark.parametrize(
    ("language", "summary", "agreements", "measures"),
    [
        ("fi", "Yhteenveto", "Sovitut asiat", "Toimenpiteet, joita tämä tapahtuma palvelee"),
        ("sv", "Sammanfattning", "Gjorda överenskommelser", "Åtgärder som evenemanget stöder"),
    ],
)
def test_fields_are_named_as_the_forms_name_them_in_the_readers_language(
    app, staff, language, summary, agreements, measures
):
    seed_plan()
    event = make_event(starts_at=datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    with app.test_request_context():
        login_user(make_user(Role.COORDINATOR, email="kirjaaja@example.fi"))
        record_outcome(event, OutcomeInput(summary="Käytiin läpi tilannekuva.", agreements="Jatko"))
        from hytu_events.plan.queries import all_measures

        link_measures(event, [all_measures()[0].id])
        db.session.commit()
    text = _section(_history(staff, event.id, language))
    assert f"{summary} Käytiin läpi tilannekuva." in text
    assert f"{agreements} Jatko" in text
    assert measures in text
    for key in ("summary", "agreements", "measures", "manual_attendance"):
        assert not re.search(rf"\b{key}\b", text), (key, text)


def test_times_are_on_the_networks_clock_in_the_readers_style_and_valid_html(app, staff):
    event = make_event()
    # A moment with microseconds, as the database keeps `at`.
    at = datetime(2026, 12, 10, 7, 0, 0, 123456, tzinfo=UTC)
    _entry(
        event,
        "event.updated",
        {"starts_at": "2026-12-10T07:00:00+00:00"},
        {"starts_at": "2026-12-17T08:30:00+00:00"},
        at=at,
    )
    html = _history(staff, event.id, "fi")
    assert '<time datetime="2026-12-10T07:00:00Z">to 10.12.2026 9.00</time>' in html
    text = _section(html)
    assert "Alkaa to 10.12.2026 9.00 → muutettu arvoon to 17.12.2026 10.30" in text
    assert "+00:00" not in text and "2026-12-10T" not in text
    sv = _section(_history(staff, event.id, "sv"))
    assert "Börjar tors 10 dec. 2026 09:00 → ändrat till tors 17 dec. 2026 10:30" in sv
    en = _section(_history(staff, event.id, "en"))
    assert "Starts Thu, Dec 10, 2026 09:00 → changed to Thu, Dec 17, 2026 10:30" in en


def test_nothing_before_and_after_is_no_row_and_one_side_says_added_or_removed(app, staff):
    event = make_event()
    _entry(
        event,
        "event.updated",
        {"venue": None, "registration_opens_at": None, "municipalities": [], "capacity": 20},
        {"venue": "", "registration_opens_at": "2026-12-01T08:00:00+00:00", "capacity": None},
    )
    text = _section(_history(staff, event.id, "en"))
    assert "Registration opens added: Tue, Dec 1, 2026 10:00" in text
    assert "Number of places removed: 20" in text
    for nothing in ("Place", "Municipalities", "(empty)", "→ changed to ,"):
        assert nothing not in text, text
    fi = _section(_history(staff, event.id, "fi"))
    assert "(tyhjä)" not in fi and "lisätty: ti 1.12.2026 10.00" in fi


def test_a_new_event_lists_what_it_was_made_with_and_leaves_out_the_empty_fields(app, staff):
    from hytu_events.events import operations

    event = make_event(status=EventStatus.DRAFT, capacity=None)
    with app.test_request_context():
        operations.publish_event(event.id)
        audit.record(
            "event.created",
            event,
            after=audit.snapshot(event, operations.AUDIT_FIELDS),
        )
        db.session.commit()
    text = _section(_history(staff, event.id, "en"))
    assert "Event created" in text and "Kind of event HYTU clinic" in text
    assert "Status Published" in text and "Draft → changed to Published" in text
    for empty in ("Number of places", "Reason for cancelling", "Registration opens"):
        assert empty not in text, text


def test_attendance_entries_say_whose_by_name_never_by_email(app, staff):
    event = make_event()
    people = [
        register_person(event, name, f"{name.split()[0].lower()}@example.fi")
        for name in ("Aino Aikio", "Eero Ylitalo", "Hanna Kangas")
    ]
    with app.test_request_context():
        login_user(make_user(Role.COORDINATOR, email="merkitsija@example.fi"))
        assert mark_attendance(event, [p.id for p in people], True, now=event.starts_at) == 3
        db.session.commit()
    html = _history(staff, event.id, "fi")
    text = _section(html)
    for person in people:
        assert f"Osallistuminen merkitty: {person.name}" in text
    assert text.count("Osallistui ei merkitty → muutettu arvoon osallistui") == 3, text
    assert "@example.fi" not in html.split('id="audit-title"', 1)[1]


def test_an_erased_participant_is_not_named(app, staff):
    from hytu_events.registrations.personal_data import erase_personal_data

    event = make_event()
    person = register_person(event, "Aino Aikio", "aino@example.fi")
    with app.test_request_context():
        login_user(make_user(Role.COORDINATOR, email="merkitsija@example.fi"))
        mark_attendance(event, [person.id], True, now=event.starts_at)
        db.session.commit()
    erase_personal_data(person.email)
    db.session.commit()
    text = _section(_history(staff, event.id, "en"))
    assert "Attendance marked: erased participant" in text and "Aino" not in text


def test_every_field_the_features_log_has_a_name(app):
    """What the operations snapshot, and the keys they add, are all named for the history."""
    from hytu_events.accounts.operations import USER_FIELDS
    from hytu_events.events.operations import AUDIT_FIELDS as EVENT_FIELDS
    from hytu_events.outcomes.outcomes import OUTCOME_FIELDS
    from hytu_events.plan import editing
    from hytu_events.registrations.coordinator import AUDIT_FIELDS, PERSONAL_DETAILS
    from hytu_events.reporting.tracker import CHANGE_FIELDS
    from hytu_events.series.operations import AUDIT_FIELDS as SERIES_FIELDS

    logged = {
        "event": [*EVENT_FIELDS, "measures", "copied_from", "series", "recurrence_id"],
        "registration": [*AUDIT_FIELDS, *PERSONAL_DETAILS, "organisation", "municipality"]
        + ["language", "personal_details"],
        "outcome": OUTCOME_FIELDS,
        "followup": ["status"],
        "series": [*SERIES_FIELDS, "split_from", "measures", "dates"],
        "user": USER_FIELDS,
        "plan": [*editing.PLAN_FIELDS, "file", "kind", "created", "updated"],
        "focusarea": editing.FOCUS_AREA_FIELDS,
        "measure": [*editing.MEASURE_FIELDS, "focus_areas", "organisations", "indicators"],
        "indicator": [*editing.INDICATOR_FIELDS, "area", "year", "value"],
        "municipalplanstatuschange": CHANGE_FIELDS,
    }
    unnamed = [
        (kind, field)
        for kind, fields in logged.items()
        for field in fields
        if (kind, field) not in FIELD_LABELS
    ]
    assert unnamed == [], "name these with audit.register_fields in the feature's audit_actions"


def test_entries_of_the_demo_name_every_field(app, client):
    from tests.demo_pages import make_demo

    make_demo(app)
    entries = list(db.session.scalars(sa.select(AuditEntry)))
    assert len(entries) > 20
    unnamed = {
        (entry.target_type, field)
        for entry in entries
        for field in {**(entry.before or {}), **(entry.after or {})}
        if (entry.target_type, field) not in FIELD_LABELS
    }
    assert unnamed == set()
