"""The iCalendar builder: time zones, text, and what two other parsers make of the output."""

from datetime import UTC, date, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar

from hytu_events.calendar.components import Attendee
from hytu_events.calendar.ical import build_calendar
from hytu_events.calendar.vtimezone import vtimezone, yearly_vtimezone
from hytu_events.extensions import db
from hytu_events.models import EventKind, EventStatus, RegistrationStatus
from tests.calendar.factories import LONG_AGO, dst_days, helsinki
from tests.calendar.parsers import assert_wire_format, icaljs, parse_everywhere
from tests.helpers import make_event


def _event(**overrides):
    overrides.setdefault("created_at", LONG_AGO)
    overrides.setdefault("updated_at", LONG_AGO)
    return make_event(**overrides)


def test_helsinki_vtimezone_uses_yearly_rules_that_outlook_maps():
    text = vtimezone("Europe/Helsinki", 2025, 2027).to_ical().decode()
    assert "RDATE" not in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300" in text
    assert "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200" in text


def test_yearly_rules_agree_with_zoneinfo_for_decades():
    # Raises when the derived rule misses any switch in these years.
    yearly_vtimezone("Europe/Helsinki", 2000, 2045)
    yearly_vtimezone("America/New_York", 2008, 2040)  # "second Sunday", not only "last"


def test_zone_whose_rules_changed_falls_back_to_explicit_dates():
    # Brazil dropped daylight saving time in 2019: no single yearly rule covers 2018-2020.
    with pytest.raises(ValueError):
        yearly_vtimezone("America/Sao_Paulo", 2018, 2020)
    text = vtimezone("America/Sao_Paulo", 2018, 2020).to_ical().decode()
    assert "TZID:America/Sao_Paulo" in text


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 26), 7),  # EET, UTC+2
        (date(2026, 4, 2), 6),  # EEST, UTC+3
        (date(2026, 10, 22), 6),  # EEST
        (date(2026, 10, 29), 7),  # EET again
    ],
)
def test_local_times_across_dst_switches(app, day, utc_hour):
    event = _event(starts_at=helsinki(day, 9), title=f"Klinikka {day}")
    assert event.starts_at.hour == utc_hour
    raw = build_calendar([event], name="Testi")
    assert f"DTSTART;TZID=Europe/Helsinki:{day:%Y%m%d}T090000".encode() in raw
    by_vobject, by_icaljs = parse_everywhere(raw)
    for parsed in (by_vobject[event.calendar_uid], by_icaljs[event.calendar_uid]):
        assert parsed["start_local"] == f"{day.isoformat()}T09:00:00"
        assert parsed["start_utc"] == f"{day.isoformat()}T{utc_hour:02d}:00:00Z"


def test_one_calendar_spanning_both_switches_and_a_new_year(app):
    starts = [helsinki(day) for day in dst_days(2026).values()]
    starts.append(helsinki(date(2027, 1, 14)))
    events = [_event(starts_at=start, title=f"Tapahtuma {i}") for i, start in enumerate(starts)]
    raw = build_calendar(events, name="Testi")
    by_vobject, by_icaljs = parse_everywhere(raw)
    for event in events:
        expected = event.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert by_vobject[event.calendar_uid]["start_utc"] == expected
        assert by_icaljs[event.calendar_uid]["start_local"].endswith("T09:00:00")
    # One VTIMEZONE, however many events use it.
    assert raw.count(b"BEGIN:VTIMEZONE") == 1


TRICKY_TITLE = 'Työpaja, osa 1; kunnat & järjestöt \\ 😀 "lainaus"'
TRICKY_DESCRIPTION = (
    "Ensimmäinen rivi, pilkku; puolipiste.\n"
    "Toinen rivi: emoji 🙂🎉 ja saamea: Anár, Ohcejohka, Soađegilli.\n\n"
    + "Hyvin pitkä rivi ilman rivinvaihtoa, joka jatkuu ja jatkuu, täynnä ääkkösiä ja 😀 "
    * 40
).strip()


def test_text_is_escaped_folded_and_round_trips_in_every_parser(app):
    event = _event(
        title=TRICKY_TITLE,
        description=TRICKY_DESCRIPTION,
        venue="Kunnantalo, sali 2; 2. krs\nSisäänkäynti pihalta",
    )
    raw = build_calendar([event], name="Nimi, jossa; erikoismerkkejä 😀")
    assert_wire_format(raw)
    assert b"\\," in raw and b"\\;" in raw and b"\\n" in raw
    # icalendar itself reads back exactly what went in.
    parsed = Calendar.from_ical(raw).events[0]
    assert str(parsed["SUMMARY"]) == TRICKY_TITLE
    assert str(parsed["DESCRIPTION"]).startswith(TRICKY_DESCRIPTION)
    assert str(parsed["LOCATION"]) == "Kunnantalo, sali 2; 2. krs\nSisäänkäynti pihalta"
    by_vobject, by_icaljs = parse_everywhere(raw)
    for found in (by_vobject[event.calendar_uid], by_icaljs[event.calendar_uid]):
        assert found["summary"] == TRICKY_TITLE
        assert found["description"].startswith(TRICKY_DESCRIPTION)
        assert found["location"] == "Kunnantalo, sali 2; 2. krs\nSisäänkäynti pihalta"
    # The calendar's name is TEXT too (icalendar writes NAME as given unless told).
    unfolded = raw.decode().replace("\r\n ", "")
    for line in ("NAME", "X-WR-CALNAME"):
        assert f"\r\n{line}:Nimi\\, jossa\\; erikoismerkkejä 😀\r\n" in unfolded
    by_vobject = vobject.readOne(raw.decode(), validate=True)
    assert by_vobject.contents["name"][0].value == "Nimi, jossa; erikoismerkkejä 😀"
    assert by_vobject.x_wr_calname.value == "Nimi, jossa; erikoismerkkejä 😀"
    found = icaljs(raw.decode())
    assert found["name"] == found["x_wr_calname"] == "Nimi, jossa; erikoismerkkejä 😀"


def test_event_content(app):
    event = _event(
        title="Virtuaalikahvit",
        kind=EventKind.VIRTUAL_COFFEE,
        venue=None,
        online_url="https://teams.example.fi/meet/123",
        online_url_public=True,
        revision=3,
    )
    raw = build_calendar([event], name="N")
    component = Calendar.from_ical(raw).events[0]
    assert str(component["UID"]) == event.calendar_uid
    assert component["SEQUENCE"] == 3
    assert component["DTSTAMP"].dt == LONG_AGO and component["DTSTAMP"].dt.tzinfo is not None
    assert component["LAST-MODIFIED"].dt == event.updated_at
    assert str(component["STATUS"]) == "CONFIRMED"
    assert str(component["URL"]) == f"http://hytu.test/events/{event.id}"
    assert f"http://hytu.test/events/{event.id}" in str(component["DESCRIPTION"])
    assert str(component["LOCATION"]) == "https://teams.example.fi/meet/123"
    assert component.categories == ["Virtuaalikahvit"]
    assert "ATTENDEE" not in component and "ORGANIZER" not in component
    for found in parse_everywhere(raw):  # and the two parsers read the same
        assert found[event.calendar_uid]["location"] == "https://teams.example.fi/meet/123"
        assert found[event.calendar_uid]["url"] == f"http://hytu.test/events/{event.id}"
        assert found[event.calendar_uid]["categories"] == ["Virtuaalikahvit"]


def test_private_online_link_stays_out_unless_the_reader_has_a_place(app):
    event = _event(online_url="https://teams.example.fi/secret-clinic", online_url_public=False)
    public = build_calendar([event], name="N")
    assert b"secret-clinic" not in public.replace(b"\r\n ", b"")
    assert "Inarin kunnantalo / Verkossa" in str(Calendar.from_ical(public).events[0]["LOCATION"])
    confirmed = build_calendar(
        [event], name="N", participation={event.id: RegistrationStatus.CONFIRMED}
    )
    assert b"secret-clinic" in confirmed.replace(b"\r\n ", b"")
    waiting = build_calendar(
        [event], name="N", participation={event.id: RegistrationStatus.WAITLISTED}
    )
    assert b"secret-clinic" not in waiting.replace(b"\r\n ", b"")
    assert str(Calendar.from_ical(waiting).events[0]["STATUS"]) == "TENTATIVE"


def test_cancelled_event_says_so(app):
    event = _event(status=EventStatus.CANCELLED, cancellation_reason="Kouluttaja sairastui.")
    by_vobject, by_icaljs = parse_everywhere(build_calendar([event], name="N"))
    for found in (by_vobject[event.calendar_uid], by_icaljs[event.calendar_uid]):
        assert found["status"] == "CANCELLED"
        assert "Kouluttaja sairastui." in found["description"]


def test_invitation_shape_for_later_email_use(app):
    """METHOD and ATTENDEE are parameters (issue 5 sends REQUEST/CANCEL by email)."""
    event = _event()
    raw = build_calendar(
        [event],
        name="N",
        method="REQUEST",
        organizer="hytu@lapinliitto.fi",
        attendee=Attendee(email="aino@example.fi", name="Aino Aikio"),
    )
    parsed = Calendar.from_ical(raw)
    assert str(parsed["METHOD"]) == "REQUEST"
    vevent = parsed.events[0]
    assert str(vevent["ORGANIZER"]) == "mailto:hytu@lapinliitto.fi"
    assert str(vevent["ATTENDEE"]) == "mailto:aino@example.fi"
    assert vevent["ATTENDEE"].params["CN"] == "Aino Aikio"
    parse_everywhere(raw)


def test_same_data_gives_the_same_bytes(app):
    event = _event()
    first = build_calendar([event], name="N", refresh_interval=timedelta(hours=1))
    db.session.expire_all()
    assert build_calendar([event], name="N", refresh_interval=timedelta(hours=1)) == first
    assert datetime.now(UTC).strftime("%Y%m%dT%H%M").encode() not in first


def test_our_serialisation_is_icalendars_byte_for_byte(app):
    """ical.to_ical skips icalendar's character walk for lines too short to fold."""
    from hytu_events.calendar.components import Attendee, Envelope, event_component
    from hytu_events.calendar.ical import to_ical

    event = _event(
        title=TRICKY_TITLE,
        description=TRICKY_DESCRIPTION,
        venue="Kunnantalo, sali 2; 2. krs\nSisäänkäynti pihalta",
        online_url="https://teams.example/meet/" + "x" * 80,
        online_url_public=True,
    )
    invitation = Envelope(
        base_url="http://hytu.test",
        tzid="Europe/Helsinki",
        attendee=Attendee(email="aino@example.fi", name='Aino "Ainikki" Aikio'),
        organizer="hytu@example.fi",
        organizer_name="HYTU-verkosto",
    )
    for envelope in (Envelope(base_url="http://hytu.test", tzid="Europe/Helsinki"), invitation):
        component = event_component(event, envelope, RegistrationStatus.CONFIRMED)
        assert to_ical(component) == component.to_ical()
    timezone = vtimezone("Europe/Helsinki", 2025, 2027)
    assert to_ical(timezone) == timezone.to_ical()
