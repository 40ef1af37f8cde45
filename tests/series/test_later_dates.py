"""Dates added at the end of a series give a place to everyone who registered once for the whole
series (series.followers), by the seat rule of any registration, and each is told once: the
series' update describes their dates with the new ones, and their calendar then shows exactly
the dates they hold."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind
from hytu_events.models import Registration, RegistrationStatus
from hytu_events.registrations.personal_data import export_personal_data
from hytu_events.series import ends
from hytu_events.series.registration import leave_series, register_for_series
from tests.calendar.series_factories import BEFORE_SERIES, person
from tests.mailing.helpers import body_of
from tests.series.helpers import make_series
from tests.series.mailed import email, held, itip, mark, sent_to, shown, take_whole_series

WHOLE, PICKED, LEFT, LATE = 1, 2, 3, 4


def _text(row) -> str:
    return " ".join(body_of(row).split())


def _places(n: int) -> list[Registration]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.email == email(n))
            .order_by(Registration.event_id, Registration.id)
        )
    )


def _extend(series, coordinator, count: int = 5):
    change = ends.change_end(series.id, count=count, creator=coordinator, now=BEFORE_SERIES)
    db.session.commit()
    return change


@pytest.fixture
def coffees(app, coordinator):
    """Three coffees: one person registered for the whole series, one ticked every date, one
    registered for the whole series and then left it."""
    series = make_series(coordinator, count=3)
    db.session.commit()
    take_whole_series(series, WHOLE)
    register_for_series(series.id, person(PICKED), [d.id for d in series.dates], BEFORE_SERIES)
    db.session.commit()
    [first, *_] = take_whole_series(series, LEFT)
    leave_series(first.id, now=BEFORE_SERIES)
    db.session.commit()
    return series


def test_whole_series_places_are_marked_and_exported(coffees):
    assert [p.whole_series for p in _places(WHOLE)] == [True] * 3
    assert [p.whole_series for p in _places(PICKED)] == [False] * 3
    exported = export_personal_data(email(WHOLE))["registrations"]
    assert [row["whole_series"] for row in exported] == [True] * 3


def test_added_dates_give_places_to_the_whole_series_only(coffees, coordinator):
    change = _extend(coffees, coordinator)
    new_ids = {event.id for event in change.added}
    assert list(change.given) == [email(WHOLE)]
    mine = [p for p in _places(WHOLE) if p.event_id in new_ids]
    assert [p.status for p in mine] == [RegistrationStatus.CONFIRMED] * 2
    assert all(p.whole_series for p in mine)
    assert not [p for p in _places(PICKED) if p.event_id in new_ids]
    # Whoever left the series is not brought back.
    assert not [p for p in _places(LEFT) if p.event_id in new_ids]


def test_the_seat_rule_holds_at_the_new_dates(app, coordinator):
    series = make_series(coordinator, count=2, capacity=1)
    db.session.commit()
    take_whole_series(series, WHOLE)
    take_whole_series(series, LATE)  # full everywhere: on the waiting lists
    change = _extend(series, coordinator, count=3)
    [new] = change.added
    assert [(p.email, p.status) for p in sorted(new.registrations, key=lambda p: p.id)] == [
        (email(WHOLE), RegistrationStatus.CONFIRMED),
        (email(LATE), RegistrationStatus.WAITLISTED),
    ]


def test_each_person_is_told_once_and_their_calendar_holds_their_dates(coffees, coordinator):
    before = mark()
    _extend(coffees, coordinator)
    [update] = sent_to(WHOLE, before)
    method, _uid, [master] = itip(update)
    assert update.kind is MessageKind.UPDATE and method == "REQUEST"
    assert master["RRULE"]["COUNT"] == [5]  # the series with the new dates, one object
    text = _text(update)
    assert "koko sarjaan" in text and "22.4.2027" in text and "6.5.2027" in text
    assert shown(WHOLE) == held(WHOLE) and len(held(WHOLE)) == 5

    [picked] = sent_to(PICKED, before)
    assert "koko sarjaan" not in _text(picked) and "lisätty" in _text(picked)
    assert shown(PICKED) == held(PICKED) and len(held(PICKED)) == 3
    assert sent_to(LEFT, before) == []


def test_someone_only_waiting_is_told_of_the_new_waiting_places(app, coordinator):
    series = make_series(coordinator, count=2, capacity=1)
    db.session.commit()
    take_whole_series(series, WHOLE)
    take_whole_series(series, LATE)  # waiting at every date, the new one too
    before = mark()
    _extend(series, coordinator, count=3)
    [note] = sent_to(LATE, before)
    assert note.kind is MessageKind.WAITLISTED and itip(note) is None
    assert "8.4.2027" in _text(note) and "25.3.2027" not in _text(note)
