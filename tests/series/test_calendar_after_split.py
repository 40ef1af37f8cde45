"""A split ("this and the following dates") in the calendars of the people registered: after
every message each was sent, in order, their calendar shows each of their dates once, at its
time, under the UID of the series it now belongs to. Whoever held the dates one by one gets a
CANCEL of the old series' instances; whoever held the old master only its update."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from hytu_events.extensions import db
from hytu_events.local_time import utc_to_local
from hytu_events.mailing.models import MessageKind
from hytu_events.models import EventStatus
from hytu_events.series import changes
from hytu_events.series.models import Series
from tests.calendar.series_factories import cancel, move, take_places
from tests.mailing.helpers import body_of
from tests.series.helpers import make_series
from tests.series.mailed import held, itip, mark, rid_local, sent_to, shown, take_whole_series
from tests.series.test_changes import at, edited

WHOLE, EVERY_ONE_BY_ONE, MIXED, MOVED_ONLY, KEPT_ONLY = 1, 2, 3, 4, 5
PEOPLE = (WHOLE, EVERY_ONE_BY_ONE, MIXED, MOVED_ONLY, KEPT_ONLY)


@pytest.fixture
def coffees(app, coordinator):
    """Five coffees; a title changed for all (an update; a new title alone keeps the
    revision), the fourth moved to 11:00 on its own (an override, revision 1), and people
    holding them in every way a calendar can."""
    series = make_series(coordinator, count=5)
    db.session.commit()
    dates = list(series.dates)
    take_whole_series(series, WHOLE)
    take_places(dates, EVERY_ONE_BY_ONE)
    take_places([dates[0], dates[2], dates[3]], MIXED)
    take_places([dates[2], dates[3]], MOVED_ONLY)
    take_places(dates[:2], KEPT_ONLY)
    first = dates[0]
    changes.edit_all(series.id, first.id, edited(first, first.starts_at, title="Aamukahvit"))
    db.session.commit()
    move(dates[3], 2)
    return series


def _split(series: Series) -> Series:
    third = series.dates[2]
    rest = changes.edit_following(
        series.id, third.id, edited(third, at(date(2027, 4, 8), 10), venue="Lapin liitto")
    )
    db.session.commit()
    return rest


def test_every_calendar_shows_each_date_once_under_its_new_series(coffees):
    old_uid = coffees.calendar_uid
    rest = _split(coffees)
    assert rest.calendar_uid != old_uid
    for n in PEOPLE:
        assert shown(n) == held(n), n
    # The dates moved from 9:00 to 10:00, under the new UID.
    assert [start[11:16] for _uid, start, _end in shown(MOVED_ONLY)] == ["10:00", "10:00"]
    assert {uid for uid, _start, _end in shown(WHOLE)} == {old_uid, rest.calendar_uid}


def test_instances_held_one_by_one_are_cancelled_under_the_old_uid(coffees):
    old = coffees
    former = {event.id: rid_local_of(event) for event in old.dates[2:]}
    before = mark()
    rest = _split(old)
    db.session.refresh(old)
    sent = sent_to(MOVED_ONLY, before)
    assert [(row.kind, itip(row)[:2]) for row in sent] == [
        (MessageKind.UPDATE, ("CANCEL", old.calendar_uid)),
        (MessageKind.UPDATE, ("REQUEST", rest.calendar_uid)),
    ]
    _method, _uid, instances = itip(sent[0])
    assert [rid_local(v) for v in instances] == [former[d.id] for d in rest.dates[:2]]
    assert [rid_local(v) for v in instances] == ["2027-04-08T09:00", "2027-04-22T09:00"]
    assert {str(v["STATUS"]) for v in instances} == {"CANCELLED"}
    # Above every SEQUENCE these instances were sent with: the old series' revision rose.
    assert [int(v["SEQUENCE"]) for v in instances] == [
        old.revision + date.revision for date in rest.dates[:2]
    ]
    assert old.revision == 1
    # The fourth was at 11:00 on its own: its entry, as the calendar held it, goes.
    assert [v["DTSTART"].dt.strftime("%H:%M") for v in instances] == ["09:00", "11:00"]
    text = " ".join(body_of(sent[0]).split())
    assert "8.4.2027 alkaen" in text and "omaksi sarjakseen" in text


def test_the_whole_series_holder_gets_the_two_updates_and_no_cancel(coffees):
    before = mark()
    rest = _split(coffees)
    sent = [itip(row) for row in sent_to(WHOLE, before)]
    assert [(method, uid) for method, uid, _v in sent] == [
        ("REQUEST", coffees.calendar_uid),
        ("REQUEST", rest.calendar_uid),
    ]
    [(_m, _u, [old_master]), (_m2, _u2, [new_master])] = sent
    assert old_master["RRULE"]["COUNT"] == [2]
    assert new_master["RRULE"]["COUNT"] == [3] and "RECURRENCE-ID" not in new_master


@pytest.mark.parametrize("n", PEOPLE)
def test_at_most_one_message_per_series_and_method(coffees, n):
    before = mark()
    _split(coffees)
    kinds = Counter(itip(row)[:2] for row in sent_to(n, before) if itip(row))
    assert set(kinds.values()) == {1}, kinds


def test_nobody_with_only_the_earlier_dates_gets_a_cancel(coffees):
    before = mark()
    _split(coffees)
    [update] = sent_to(KEPT_ONLY, before)  # their two dates are now the whole old series
    method, uid, [master] = itip(update)
    assert (method, uid) == ("REQUEST", coffees.calendar_uid) and "RRULE" in master


def test_a_split_old_series_with_no_date_left_cancels_the_moved_dates_from_its_master(coffees):
    for event in coffees.dates[:2]:
        cancel(event)
    before = mark()
    rest = _split(coffees)
    [cancel_message, update] = [itip(row) for row in sent_to(WHOLE, before)]
    assert cancel_message[:2] == ("CANCEL", coffees.calendar_uid)
    assert update[:2] == ("REQUEST", rest.calendar_uid)
    for n in PEOPLE:
        assert shown(n) == held(n), n
    assert [utc_to_local(e.starts_at).hour for e in rest.dates] == [10, 10, 10]
    assert {e.status for e in coffees.dates} == {EventStatus.CANCELLED}


def rid_local_of(event) -> str:
    return utc_to_local(event.recurrence_id).strftime("%Y-%m-%dT%H:%M")
