"""Planned retention: registrations are anonymised the promised time after their event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.feed_tokens import tokens
from hytu_events.feed_tokens.models import CalendarFeedToken
from hytu_events.models import Registration
from hytu_events.registrations.retention import expire
from hytu_events.registrations.tokens import self_service_token
from tests.helpers import make_event, municipality, organisation, page_text
from tests.plan.helpers import register

NOW = datetime.now(UTC).replace(microsecond=0)


def _event_ended(days_ago: int, title: str):
    return make_event(starts_at=NOW - timedelta(days=days_ago), title=title)


def test_registrations_past_retention_are_anonymised_and_counts_stay(app):
    old = _event_ended(400, "Vanha klinikka")
    recent = _event_ended(300, "Tuore klinikka")
    gone = register(
        old,
        organisation("lapin-amk"),
        municipality("inari"),
        name="Kaisa Keskitalo",
        email="kaisa@example.fi",
    )
    kept = register(recent, name="Kaisa Keskitalo", email="kaisa@example.fi")
    only_old = register(old, name="Olli Ojala", email="olli@example.fi")
    tokens.participant_feed_url("kaisa@example.fi")
    tokens.participant_feed_url("olli@example.fi")
    db.session.commit()

    assert expire(NOW) == 2
    db.session.commit()
    db.session.expire_all()
    anonymised = db.session.get(Registration, gone.id)
    assert anonymised.erased_at is not None
    assert "Keskitalo" not in anonymised.name and "kaisa" not in anonymised.email
    assert (anonymised.organisation.slug, anonymised.municipality.slug) == ("lapin-amk", "inari")
    assert db.session.get(Registration, kept.id).name == "Kaisa Keskitalo"
    assert db.session.get(Registration, only_old.id).erased_at is not None
    # Olli has nothing left with us, so his feed address goes too; Kaisa's stays for now.
    feed_owners = set(db.session.scalars(sa.select(CalendarFeedToken.email)))
    assert feed_owners == {"kaisa@example.fi"}

    assert expire(NOW) == 0  # nothing twice
    # A year later the recent one goes as well.
    assert expire(NOW + timedelta(days=100)) == 1


def test_the_retention_time_is_a_setting_and_the_privacy_notice_says_it(app, client):
    app.config["HYTU_REGISTRATION_RETENTION_MONTHS"] = 6
    event = _event_ended(200, "Puolen vuoden takainen")
    register(event, name="Aino Aho", email="aino@example.fi")
    assert expire(NOW) == 1
    db.session.commit()
    assert "enintään 6 kuukautta" in page_text(client.get("/privacy?lang=fi").text)
    assert "at most 6 months" in page_text(client.get("/privacy?lang=en").text)


def test_an_anonymised_registrations_self_service_link_stops_working(app, client):
    app.config["HYTU_SELF_SERVICE_GRACE_DAYS"] = 1000  # only the retention ends it here
    event = _event_ended(400, "Vanha")
    person = register(event, name="Aino Aho", email="aino@example.fi")
    token = self_service_token(person)
    assert client.get(f"/r/{token}").status_code == 200
    expire(NOW)
    db.session.commit()
    assert client.get(f"/r/{token}").status_code == 404


def test_the_command_counts_shows_progress_and_saves(app):
    event = _event_ended(400, "Vanha")
    for n in range(3):
        register(event, name=f"Osallistuja {n}", email=f"o{n}@example.fi")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["privacy", "expire", "--dry-run"])
    assert dry.exit_code == 0 and "3 registration(s)" in dry.output
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Registration.erased_at.is_not(None)))
        == 0
    )
    done = runner.invoke(args=["privacy", "expire"])
    assert done.exit_code == 0, done.output
    assert "Anonymised 3 registration(s)" in done.output and "retention 12 months" in done.output
    db.session.expire_all()
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Registration)
            .where(Registration.erased_at.is_(None))
        )
        == 0
    )
