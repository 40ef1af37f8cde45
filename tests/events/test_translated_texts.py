"""Swedish and English titles and descriptions as coordinators enter them: the form keeps
them, the history names them, a copy takes them over."""

from __future__ import annotations

import sqlalchemy as sa

from hytu_events import audit
from hytu_events.events import operations
from hytu_events.events.models import Event
from hytu_events.extensions import db
from tests.events.test_event_forms import VALID
from tests.helpers import make_event, page_text, post_form

TRANSLATED = {
    "title_sv": "Virtuellt kaffe: byarnas säkerhet",
    "description_sv": "En timmes samtal i Teams.",
    "title_en": "Virtual coffee: safety in villages",
    "description_en": "",
}


def _only_event() -> Event:
    db.session.expire_all()
    return db.session.scalars(sa.select(Event)).one()


def test_the_form_saves_the_translations_and_an_empty_one_is_none(staff):
    page = staff.get("/admin/events/new?lang=sv").text
    assert "Andra språk" in page and "Rubrik på svenska" in page
    assert 'lang="sv"' in page.split('id="title_sv"', 1)[1].split(">", 1)[0]
    response = post_form(staff, "/admin/events/new?lang=en", {**VALID, **TRANSLATED})
    assert response.status_code == 303
    event = _only_event()
    assert event.title_sv == "Virtuellt kaffe: byarnas säkerhet"
    assert event.description_sv == "En timmes samtal i Teams."
    assert event.title_en == "Virtual coffee: safety in villages"
    assert event.description_en is None  # empty: the Finnish description

    edit = staff.get(f"/admin/events/{event.id}/edit?lang=en").text
    assert 'value="Virtuellt kaffe: byarnas säkerhet"' in edit
    changed = {**VALID, **TRANSLATED, "title_sv": "Virtuellt kaffe"}
    assert post_form(staff, f"/admin/events/{event.id}/edit?lang=en", changed).status_code == 303
    assert _only_event().title_sv == "Virtuellt kaffe"
    history = page_text(staff.get(f"/admin/events/{event.id}?lang=en").text)
    assert (
        "Title in Swedish Virtuellt kaffe: byarnas säkerhet → changed to Virtuellt kaffe" in history
    )
    assert "title_sv" not in history


def test_a_copy_takes_over_the_translations(app, coordinator):
    event = make_event(title_sv="HYTU-klinik: Enare", description_en="The municipal group.")
    (copy,) = operations.duplicate_event(event.id, coordinator)
    db.session.commit()
    assert (copy.title_sv, copy.title_en) == ("HYTU-klinik: Enare", None)
    assert copy.description_en == "The municipal group."
    [entry] = audit.entries_for_event(copy.id)
    assert ("title_sv", None, "HYTU-klinik: Enare") in entry.changes()


def test_the_demo_has_swedish_and_english_texts_for_some_events(app):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from hytu_events.events.demo import seed_demo_events
    from hytu_events.series.demo import seed_demo_series

    zone, now = ZoneInfo("Europe/Helsinki"), datetime(2026, 12, 1, 12, tzinfo=UTC)
    events = {demo.key: event for event, demo in seed_demo_events(zone, now)}
    series = seed_demo_series(zone, now)
    db.session.commit()
    inari = events["clinic-inari"]
    assert (inari.title_sv, inari.title_en) == ("HYTU-klinik: Enare", "HYTU clinic: Inari")
    assert inari.description_sv.startswith("Kommunens HYTU-arbetsgrupp")
    assert events["workshop-rovaniemi"].title_sv == "Kommunernas workshop: Rovaniemen seutu"
    assert events["coffee-1"].title_sv is None  # shown in Finnish, marked as Finnish
    assert {date.title_sv for date in series.dates} == {"HYTU-virtuellt kaffe varannan torsdag"}
