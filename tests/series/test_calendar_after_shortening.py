"""Published dates removed from the end of a series, in the calendars of the people registered:
after every message each was sent, in order, their calendar shows exactly their dates that
stand. Whoever held the removed dates one by one gets ONE CANCEL of exactly those instances,
naming them; whoever held the master only the series' update, which names them too."""

from __future__ import annotations

import pytest

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind
from hytu_events.models import EventStatus, RegistrationStatus
from hytu_events.series import ends
from tests.calendar.series_factories import cancel, take_places
from tests.mailing.helpers import body_of, calendar_of
from tests.series.helpers import make_series
from tests.series.mailed import held, itip, mark, rid_local, sent_to, shown, take_whole_series

WHOLE, SOME, REMOVED_ONLY, WAITING, KEPT_ONLY = 1, 2, 3, 4, 5
PEOPLE = (WHOLE, SOME, REMOVED_ONLY, KEPT_ONLY)
REASON = "Kevään kahvit päättyvät."


def _text(row) -> str:
    return " ".join(body_of(row).split())


@pytest.fixture
def coffees(app, coordinator):
    """Five coffees of three places; the last is full, one person waits for it."""
    series = make_series(coordinator, count=5, capacity=3)
    db.session.commit()
    dates = list(series.dates)
    take_whole_series(series, WHOLE)
    take_places([dates[1], dates[3], dates[4]], SOME)
    take_places([dates[4]], REMOVED_ONLY)
    [waiting] = take_places([dates[4]], WAITING)
    assert waiting.status is RegistrationStatus.WAITLISTED
    take_places(dates[:2], KEPT_ONLY)
    return series


def _shorten(series, coordinator, count: int = 3):
    change = ends.change_end(series.id, count=count, reason=REASON, creator=coordinator)
    db.session.commit()
    return change


def test_every_calendar_shows_exactly_the_dates_that_stand(coffees, coordinator):
    change = _shorten(coffees, coordinator)
    assert len(change.cancelled) == 2
    for n in PEOPLE:
        assert shown(n) == held(n), n
    assert len(shown(WHOLE)) == 3 and shown(REMOVED_ONLY) == []


def test_the_removed_instances_are_cancelled_for_those_who_held_them_one_by_one(
    coffees, coordinator
):
    fourth, fifth = coffees.dates[3:]
    before = mark()
    _shorten(coffees, coordinator)
    db.session.refresh(coffees)
    cancelled, update = sent_to(SOME, before)
    assert (cancelled.kind, update.kind) == (MessageKind.CANCELLATION, MessageKind.UPDATE)
    method, uid, instances = itip(cancelled)
    assert (method, uid) == ("CANCEL", coffees.calendar_uid)
    assert [rid_local(v) for v in instances] == ["2027-04-22T09:00", "2027-05-06T09:00"]
    assert {str(v["STATUS"]) for v in instances} == {"CANCELLED"}
    assert (
        [int(v["SEQUENCE"]) for v in instances]
        == [
            coffees.revision + fourth.revision,
            coffees.revision + fifth.revision,
        ]
        == [2, 2]
    )
    assert all("RRULE" not in v for v in instances)
    text = _text(cancelled)
    assert "22.4.2027" in text and "6.5.2027" in text and REASON in text
    assert itip(update)[0] == "REQUEST" and len(itip(update)[2]) == 1  # the second date

    [only] = sent_to(REMOVED_ONLY, before)
    assert [rid_local(v) for v in itip(only)[2]] == ["2027-05-06T09:00"]


def test_the_whole_series_holder_gets_one_update_naming_the_removed_dates(coffees, coordinator):
    before = mark()
    _shorten(coffees, coordinator)
    [update] = sent_to(WHOLE, before)
    method, _uid, [master] = itip(update)
    assert method == "REQUEST" and master["RRULE"]["COUNT"] == [3]
    text = _text(update)
    assert "poistettu sarjan lopusta" in text
    assert "22.4.2027" in text and "6.5.2027" in text and REASON in text


def test_a_person_waiting_for_a_removed_date_is_told_without_a_calendar(coffees, coordinator):
    before = mark()
    _shorten(coffees, coordinator)
    [note] = sent_to(WAITING, before)
    assert note.kind is MessageKind.CANCELLATION and calendar_of(note) is None
    assert "6.5.2027" in _text(note) and REASON in _text(note)


def test_people_with_only_the_dates_that_stand_get_the_update_alone(coffees, coordinator):
    before = mark()
    _shorten(coffees, coordinator)
    [update] = sent_to(KEPT_ONLY, before)
    assert itip(update)[0] == "REQUEST"
    assert "poistettu" not in _text(update)


def test_a_master_with_no_date_left_to_update_gets_the_cancel(app, coordinator):
    series = make_series(coordinator, count=2)
    db.session.commit()
    take_whole_series(series, WHOLE)
    cancel(series.dates[0])
    before = mark()
    _shorten(series, coordinator, count=1)
    [message] = sent_to(WHOLE, before)
    method, _uid, [instance] = itip(message)
    assert method == "CANCEL" and rid_local(instance) == "2027-03-25T09:00"
    assert shown(WHOLE) == held(WHOLE) == []
    assert {e.status for e in series.dates} == {EventStatus.CANCELLED}
