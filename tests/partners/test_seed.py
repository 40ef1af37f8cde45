"""`flask seed`: reference data and demo events, safe to run again."""

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import (
    Event,
    EventKind,
    EventStatus,
    Municipality,
    Organisation,
    OrganisationCategory,
    SubRegion,
)


def counts():
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Municipality, Organisation, Event)
    }


def test_seed_loads_lapland_and_can_run_again(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    first = counts()
    assert first["Municipality"] == 21
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert counts() == first

    municipalities = {m.slug: m for m in db.session.scalars(sa.select(Municipality))}
    homeland = {slug for slug, m in municipalities.items() if m.sami_homeland}
    assert homeland == {"enontekio", "inari", "utsjoki", "sodankyla"}
    assert municipalities["tornio"].name_sv == "Torneå"
    assert municipalities["inari"].name_se == "Anár"
    assert municipalities["ylitornio"].sub_region is SubRegion.TORNE_VALLEY
    per_region = {region: 0 for region in SubRegion}
    for m in municipalities.values():
        per_region[m.sub_region] += 1
    assert per_region[SubRegion.EASTERN_LAPLAND] == 5
    assert per_region[SubRegion.NORTHERN_LAPLAND] == 3

    organisations = list(db.session.scalars(sa.select(Organisation)))
    partners = [o for o in organisations if o.is_partner]
    assert len(partners) == 16
    assert [o.name for o in organisations if o.is_chair] == ["Lapin liitto"]
    by_category = {c: 0 for c in OrganisationCategory}
    for o in partners:
        by_category[o.category] += 1
    assert by_category[OrganisationCategory.AUTHORITY] == 5
    assert by_category[OrganisationCategory.NGO] == 9
    assert by_category[OrganisationCategory.EDUCATION_RESEARCH] == 2


def test_demo_events_make_a_living_app_once(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Demo events added:" in result.output
    events = list(db.session.scalars(sa.select(Event)))
    kinds = {e.kind for e in events}
    assert kinds == set(EventKind)
    workshops = [e for e in events if e.kind is EventKind.MUNICIPAL_WORKSHOP]
    assert {e.municipalities[0].sub_region for e in workshops} == set(SubRegion)
    # The weekly coffees; the demo series (tests/series/test_demo.py) meets every other week.
    coffees = sorted(
        (e for e in events if e.kind is EventKind.VIRTUAL_COFFEE and e.series_id is None),
        key=lambda e: e.starts_at,
    )
    gaps = {(b.starts_at - a.starts_at).days for a, b in zip(coffees, coffees[1:], strict=False)}
    assert gaps == {7}  # weekly
    assert any(e.status is EventStatus.CANCELLED for e in events)
    assert any(e.status is EventStatus.DRAFT for e in events)
    before = counts()
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    assert counts() == before
    # Both upcoming and past events show up on the public pages.
    assert client.get("/").text.count('class="event-card') >= 10
    assert client.get("/?when=past").text.count('class="event-card') >= 5
