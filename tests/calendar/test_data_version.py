"""The calendar data version moves with every change of a row a public feed is made of, in the
change's own transaction, and with nothing else (hytu_events.calendar.data_version).

It runs on the migrated schema on both databases, so a later migration that drops a trigger
(SQLite's batch mode recreates tables) fails here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from hytu_events.calendar.data_version import (
    PAGE_TABLES,
    TRACKED_TABLES,
    UNSHOWN_TABLES,
    CalendarVersion,
)
from hytu_events.db.locking import lock_event
from hytu_events.events import operations
from hytu_events.extensions import db
from hytu_events.models import EventStatus, Municipality, Registration
from hytu_events.outcomes.event_measures import set_event_measures
from hytu_events.plan.seed import seed_plan
from tests.calendar.factories import NOW, register
from tests.calendar.series_factories import cancel
from tests.helpers import make_event, municipality
from tests.plan.helpers import measure
from tests.series.helpers import make_series


def version() -> int:
    db.session.commit()
    return db.session.scalar(sa.select(CalendarVersion.version).where(CalendarVersion.id == 1))


def moves(change) -> bool:
    before = version()
    change()
    db.session.commit()
    return version() > before


@pytest.fixture
def event(app):
    seed_plan()
    db.session.commit()
    return make_event(title="Klinikka")


def test_every_table_a_public_feed_is_made_of_has_its_triggers(event):
    # One change of each kind in each table; an unknown table here means a missing case.
    series_owner = _coordinator()
    cases = {
        "events": [
            lambda: make_event(title="Uusi"),
            lambda: setattr(event, "title", "Klinikka (uusi sali)"),
            lambda: operations.delete_draft(make_event(status=EventStatus.DRAFT).id),
        ],
        "series": [
            lambda: make_series(series_owner, count=2),
            lambda: setattr(_series(), "title", "Kahvit, uusi nimi"),
            lambda: cancel(_series().dates[0]),
        ],
        "event_municipalities": [
            lambda: event.municipalities.append(municipality("kemi")),
            lambda: event.municipalities.remove(municipality("kemi")),
        ],
        "event_measures": [
            lambda: set_event_measures(event.id, [measure("T1").id]),
            lambda: set_event_measures(event.id, []),
        ],
        "municipalities": [lambda: setattr(municipality("inari"), "name_sv", "Enare (ny)")],
        "measures": [lambda: setattr(measure("T1"), "title_en", "A new title")],
    }
    assert set(cases) == set(TRACKED_TABLES)
    for table, changes in cases.items():
        for number, change in enumerate(changes):
            assert moves(change), (table, number)


def test_what_no_feed_shows_leaves_it(event):
    """A registration, the SQLite lock's no-op update (every seat change takes it) and reading
    change no feed: the version stays, so the feeds' kept copies stay good."""
    assert not moves(lambda: register(event, "Aino Aikio", "aino@example.fi"))
    assert not moves(lambda: lock_event(event.id))
    assert not moves(lambda: db.session.scalars(sa.select(Municipality)).all())


def pages() -> int:
    db.session.commit()
    return db.session.scalar(sa.select(CalendarVersion.pages).where(CalendarVersion.id == 1))


def test_every_table_is_followed_by_a_number_or_named_as_shown_nowhere():
    # A new table must be placed: in a feed, on a public page, or nowhere public.
    assert set(db.metadata.tables) == {*TRACKED_TABLES, *PAGE_TABLES, *UNSHOWN_TABLES}


def test_what_only_the_pages_show_moves_their_number_and_leaves_the_feeds(event, backend):
    before, feeds = pages(), version()
    registration = register(event, "Aino Aikio", "aino@example.fi")
    assert pages() > before and version() == feeds
    before = pages()
    registration.needs = "Induktiosilmukka"
    assert pages() > before and version() == feeds
    before = pages()
    event.title = "Klinikka (uusi sali)"
    assert pages() > before and version() > feeds  # what a feed shows, a page shows too
    if backend == "postgresql":
        names = sa.text("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'page_%'")
    else:
        names = sa.text("SELECT tbl_name FROM sqlite_master WHERE name LIKE 'page_version_%'")
    assert set(db.session.scalars(names)) == set(PAGE_TABLES)


def test_a_change_counts_when_it_commits_not_before(event, backend):
    if backend != "postgresql":
        pytest.skip("SQLite has one writer and no concurrent reader to show it to")
    before = version()
    with db.engine.connect() as other:
        event.title = "Kesken"
        db.session.flush()  # the trigger has run, the transaction is open
        seen = other.scalar(sa.select(CalendarVersion.version))
        other.rollback()
        assert seen == before
        db.session.commit()
        assert other.scalar(sa.select(CalendarVersion.version)) > before


def test_registrations_at_two_events_never_wait_for_each_other(event, backend):
    """The bump of a registration takes the one version row only at commit: held from the
    statement on, every registration anywhere would wait for the open one to end."""
    if backend != "postgresql":
        pytest.skip("SQLite has one writer: registrations take turns there anyway")
    other_event = make_event(title="Toinen klinikka", starts_at=NOW + timedelta(days=3))
    mine = register(event, "Aino Aikio", "aino@example.fi")
    theirs = register(other_event, "Niilo Näkkäläjärvi", "niilo@example.fi")
    db.session.commit()
    before = pages()
    mine.needs = "Induktiosilmukka"
    db.session.flush()  # this transaction is open and has written a registration
    with db.engine.connect() as other:
        other.execute(sa.text("SET lock_timeout = '3s'"))  # waiting is the failure
        other.execute(
            sa.update(Registration).where(Registration.id == theirs.id).values(needs="Ei")
        )
        other.commit()
    db.session.commit()
    assert pages() == before + 2


def test_an_emptied_database_starts_a_new_row_with_another_token(event):
    """Numbers start again after the row is gone: the token keeps them apart in the cache."""
    token = db.session.scalar(sa.select(CalendarVersion.token))
    db.session.execute(sa.delete(CalendarVersion))
    db.session.commit()
    make_event(title="Ensimmäinen taas", starts_at=NOW + timedelta(days=2))
    [row] = db.session.scalars(sa.select(CalendarVersion)).all()
    assert row.token != token


def _coordinator():
    from hytu_events.accounts.models import Role
    from tests.accounts.helpers import make_user

    return make_user(Role.COORDINATOR, email="sarjat@example.fi")


def _series():
    from hytu_events.models import Series

    return db.session.scalars(sa.select(Series)).first()
