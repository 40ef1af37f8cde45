"""A series in the public feed and the event file: one VEVENT with an RRULE, its EXDATEs and
RECURRENCE-ID overrides, expanded by two calendar engines we did not write (recurring_ical_events
and Mozilla's ical.js) across the change to summer time (Sunday 28 March 2027)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from hytu_events.events import operations
from hytu_events.extensions import db
from hytu_events.local_time import zone
from hytu_events.models import EventKind, EventStatus
from hytu_events.series.recurrence import Rule
from tests.calendar.parsers import expand_everywhere, parse_everywhere
from tests.calendar.series_factories import (
    cancel,
    details_of,
    move,
    series_clock,  # noqa: F401 - fixture
    wall,
)
from tests.series.helpers import make_series

pytestmark = pytest.mark.usefixtures("series_clock")

YEAR = (date(2027, 1, 1), date(2027, 12, 31))


def _unfolded(raw: bytes) -> str:
    return raw.decode().replace("\r\n ", "")


def _vevents(raw: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(raw).walk("VEVENT")


def _published_starts(series) -> list[str]:
    """The series' dates as the database has them, in wall time."""
    db.session.expire_all()
    return [wall(d.starts_at) for d in series.dates if d.status is EventStatus.PUBLISHED]


def test_both_engines_give_the_databases_dates_across_the_change_to_summer_time(
    client, coordinator
):
    series = make_series(coordinator, count=6)
    moved, cancelled = series.dates[1], series.dates[2]
    move(moved, 2)  # 25 March, 9:00 -> 11:00, the last Thursday of winter time
    cancel(cancelled)  # 8 April, the first date in summer time

    raw = client.get("/calendar.ics").data
    occurrences = expand_everywhere(raw, *YEAR)
    assert [o["start_local"] for o in occurrences] == _published_starts(series)
    assert [o["start_local"] for o in occurrences] == [
        "2027-03-11T09:00:00",
        "2027-03-25T11:00:00",
        "2027-04-22T09:00:00",
        "2027-05-06T09:00:00",
        "2027-05-20T09:00:00",
    ]
    # 9:00 is 07:00 UTC in winter and 06:00 UTC in summer; the moved date's 11:00 is 09:00 UTC.
    assert [o["start_utc"][11:16] for o in occurrences] == [
        "07:00",
        "09:00",
        "06:00",
        "06:00",
        "06:00",
    ]
    assert all(o["uid"] == series.calendar_uid for o in occurrences)
    assert "2027-04-08" not in str(occurrences)

    text = _unfolded(raw)
    assert text.count("BEGIN:VEVENT") == 2  # the master and the moved date's override
    assert f"UID:{series.calendar_uid}\r\n" in text
    assert "DTSTART;TZID=Europe/Helsinki:20270311T090000\r\n" in text
    assert "RRULE:FREQ=WEEKLY;COUNT=6;INTERVAL=2;BYDAY=TH\r\n" in text
    assert "EXDATE;TZID=Europe/Helsinki:20270408T090000\r\n" in text
    assert "RECURRENCE-ID;TZID=Europe/Helsinki:20270325T090000\r\n" in text
    assert "DTSTART;TZID=Europe/Helsinki:20270325T110000\r\n" in text
    # No date's own UID: the series is one object.
    assert not any(d.calendar_uid in text for d in series.dates)


def test_a_rule_ending_on_a_day_has_its_until_in_utc(client, coordinator):
    from hytu_events.series import operations as series_operations
    from tests.series.helpers import coffee_details, every_other_thursday

    rule = every_other_thursday(count=None, until=date(2027, 4, 22))
    series = series_operations.create_series(coffee_details(), rule, coordinator, publish=True)
    db.session.commit()
    raw = client.get("/calendar.ics").data
    # The last start, 22 April 9:00 in summer time, in UTC (RFC 5545 3.3.10, beside a TZID).
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270422T060000Z;INTERVAL=2;BYDAY=TH\r\n" in _unfolded(raw)
    occurrences = expand_everywhere(raw, *YEAR)
    assert [o["start_local"] for o in occurrences] == _published_starts(series)
    assert len(occurrences) == 4


def test_the_master_starts_at_the_rules_first_start_even_when_that_date_moved_or_went(
    client, coordinator
):
    moved_first = make_series(coordinator, count=3, title="Siirretty alku")
    move(moved_first.dates[0], 1)
    cancelled_first = make_series(coordinator, count=3, title="Peruttu alku")
    cancel(cancelled_first.dates[0])
    raw = client.get("/calendar.ics").data
    masters = {str(v["UID"]): v for v in _vevents(raw) if "RRULE" in v and "RECURRENCE-ID" not in v}
    for series in (moved_first, cancelled_first):
        master = masters[series.calendar_uid]
        assert master["DTSTART"].dt == series.dates[0].recurrence_id
        assert master["DTEND"].dt - master["DTSTART"].dt == timedelta(minutes=30)
    exdates = [d.dt for d in masters[cancelled_first.calendar_uid]["EXDATE"].dts]
    assert exdates == [cancelled_first.dates[0].recurrence_id]
    occurrences = expand_everywhere(raw, *YEAR)
    for series in (moved_first, cancelled_first):
        mine = [o["start_local"] for o in occurrences if o["uid"] == series.calendar_uid]
        assert mine == _published_starts(series)


def test_sequence_is_the_series_revision_and_for_a_date_the_series_and_the_dates(
    client, coordinator
):
    series = make_series(coordinator, count=3)
    series.revision = 2
    db.session.commit()
    move(series.dates[1], 1)
    raw = client.get("/calendar.ics").data
    by_vobject, by_icaljs = parse_everywhere(raw)
    override = f"{series.calendar_uid}#{series.dates[1].recurrence_id:%Y-%m-%dT%H:%M:%S}Z"
    assert by_icaljs[series.calendar_uid]["sequence"] == 2
    # Never below the master's, which a calendar holds for the instance until now.
    assert series.dates[1].revision == 1
    assert by_icaljs[override]["sequence"] == by_vobject[override]["sequence"] == 3


def test_dates_the_public_must_not_see_are_exdates(client, coordinator):
    series = make_series(coordinator, count=5)
    draft, deleted = series.dates[1], series.dates[3]
    draft.status = EventStatus.DRAFT
    deleted.status = EventStatus.DRAFT
    db.session.commit()
    operations.delete_draft(deleted.id)
    db.session.commit()
    raw = client.get("/calendar.ics").data
    [master] = _vevents(raw)
    starts = Rule.of(series).starts(zone())
    assert [d.dt for d in master["EXDATE"].dts] == [starts[1], starts[3]]
    occurrences = expand_everywhere(raw, *YEAR)
    assert [o["start_local"] for o in occurrences] == _published_starts(series)
    assert len(occurrences) == 3


def test_a_date_with_other_details_is_an_override_that_keeps_a_private_link_private(
    client, coordinator
):
    series = make_series(coordinator, count=4, online_url_public=False)
    titled, placed, linked, longer = series.dates
    for date_, changes in (
        (titled, {"title": "HYTU-virtuaalikahvit: kevään erikoisvieras"}),
        (placed, {"venue": "Lapin liitto, Hallituskatu 20, Rovaniemi"}),
        (linked, {"online_url": "https://teams.example/meet/toinen-huone"}),
        (longer, {"ends_at": longer.ends_at + timedelta(minutes=30)}),
    ):
        operations.update_event(date_.id, details_of(date_, **changes))
    db.session.commit()
    raw = client.get("/calendar.ics").data
    text = _unfolded(raw)
    assert text.count("RECURRENCE-ID") == 4
    assert "teams.example" not in text  # not public: no date shows it, overrides neither
    by_vobject, by_icaljs = parse_everywhere(raw)
    assert len(by_icaljs) == 5

    occurrences = {o["start_local"]: o for o in expand_everywhere(raw, *YEAR)}
    assert occurrences[wall(titled.starts_at)]["summary"].endswith("kevään erikoisvieras")
    assert occurrences[wall(longer.starts_at)]["end_utc"].endswith("07:00:00Z")
    overrides = {v["RECURRENCE-ID"].dt: v for v in _vevents(raw) if "RECURRENCE-ID" in v}
    assert str(overrides[placed.recurrence_id]["LOCATION"]).startswith("Lapin liitto")
    assert str(overrides[linked.recurrence_id]["URL"]) == f"http://hytu.test/events/{linked.id}"


def test_the_filters_hold_a_series_whole_or_only_the_dates_they_select(client, coordinator):
    from hytu_events.outcomes.event_measures import set_event_measures
    from hytu_events.plan.seed import seed_plan
    from tests.plan.helpers import measure

    seed_plan()
    series = make_series(coordinator, count=4)
    for date_ in series.dates[:2]:
        set_event_measures(date_.id, [measure("T1").id])
    db.session.commit()

    coffee = client.get("/calendar.ics?kind=virtual_coffee").data
    assert "RRULE:FREQ=WEEKLY" in _unfolded(coffee)
    assert len(expand_everywhere(coffee, *YEAR)) == 4
    clinics = client.get("/calendar.ics?kind=hytu_clinic").data
    assert b"BEGIN:VEVENT" not in clinics

    # Two of the four dates serve the measure: the feed describes those two, no master.
    served = client.get("/calendar.ics?measure=T1").data
    assert "RRULE:FREQ=WEEKLY" not in _unfolded(served)
    occurrences = expand_everywhere(served, *YEAR)
    assert [o["start_local"] for o in occurrences] == [wall(d.starts_at) for d in series.dates[:2]]
    assert {o["uid"] for o in occurrences} == {series.calendar_uid}
    assert _unfolded(served).count("RECURRENCE-ID;TZID=Europe/Helsinki:") == 2


def test_the_event_file_of_a_date_is_its_series(client, coordinator):
    series = make_series(coordinator, count=4)
    cancel(series.dates[3])
    response = client.get(f"/events/{series.dates[1].id}.ics")
    assert response.status_code == 200
    assert "RRULE:FREQ=WEEKLY" in _unfolded(response.data)
    occurrences = expand_everywhere(response.data, *YEAR)
    assert [o["start_local"] for o in occurrences] == _published_starts(series)
    assert {o["uid"] for o in occurrences} == {series.calendar_uid}


def test_a_series_in_the_feed_with_single_events_and_other_series(client, coordinator):
    from tests.helpers import make_event

    clinic = make_event(starts_at=datetime(2027, 3, 30, 7, tzinfo=UTC))
    coffees = make_series(coordinator, count=3)
    workshops = make_series(
        coordinator, count=2, title="Kuntien työpaja", kind=EventKind.MUNICIPAL_WORKSHOP
    )
    db.session.commit()
    raw = client.get("/calendar.ics").data
    occurrences = expand_everywhere(raw, *YEAR)
    by_uid: dict[str, int] = {}
    for occurrence in occurrences:
        by_uid[occurrence["uid"]] = by_uid.get(occurrence["uid"], 0) + 1
    assert by_uid == {clinic.calendar_uid: 1, coffees.calendar_uid: 3, workshops.calendar_uid: 2}
    assert raw.count(b"BEGIN:VTIMEZONE") == 1


def test_a_published_date_the_rule_no_longer_makes_is_an_rdate(client, coordinator):
    series = make_series(coordinator, count=4)
    series.number_of_dates = 3  # the rule was shortened, its last date kept
    db.session.commit()
    raw = client.get("/calendar.ics").data
    assert "RDATE;TZID=Europe/Helsinki:20270422T090000\r\n" in _unfolded(raw)
    occurrences = expand_everywhere(raw, *YEAR)
    assert [o["start_local"] for o in occurrences] == _published_starts(series)
    assert len(occurrences) == 4


def test_the_second_thursday_of_each_month(client, coordinator):
    from hytu_events.models import Frequency
    from hytu_events.series import operations as series_operations
    from tests.series.helpers import coffee_details

    rule = Rule(
        frequency=Frequency.MONTHLY,
        interval=1,
        weekdays=("TH",),
        week_of_month=2,
        first_date=date(2027, 1, 14),
        start_time=datetime(2027, 1, 14, 9).time(),
        count=5,
    )
    details = coffee_details(datetime(2027, 1, 14, 9, 0))
    series = series_operations.create_series(details, rule, coordinator, publish=True)
    db.session.commit()
    raw = client.get("/calendar.ics").data
    assert "RRULE:FREQ=MONTHLY;COUNT=5;BYDAY=2TH\r\n" in _unfolded(raw)
    occurrences = expand_everywhere(raw, date(2027, 1, 1), YEAR[1])
    assert [o["start_local"] for o in occurrences] == _published_starts(series)
    assert [o["start_local"][:10] for o in occurrences][2:4] == ["2027-03-11", "2027-04-08"]
