"""Text in invitations as every client reads it: each TEXT value escaped (RFC 5545 3.3.11),
the calendar's name too, and names in CN parameters written without RFC 6868's ^-escapes,
which Outlook shows as they are."""

from __future__ import annotations

import icalendar
import vobject

from hytu_events.extensions import db
from hytu_events.registrations.models import Language
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.series.registration import register_for_series
from tests.calendar.parsers import icaljs, parse_everywhere
from tests.calendar.series_factories import BEFORE_SERIES
from tests.helpers import make_event, organisation
from tests.series.helpers import make_series
from tests.staff import coordinator  # noqa: F401

from .replay import deliver, inline_calendar

TITLE = 'Kahvit, "iso"; osa\\1'
DESCRIPTION = 'Ohjelma; 1, 2 ja "3".\n\nToinen kappale \\ kenoviiva.'
VENUE = 'Sali 2, 2. krs; ovi "B"'
NAME = 'Anna "Ansku" Äijälä^2'
#: What every client shows of NAME: the double quotes single, the caret its look-alike.
NAME_READ = "Anna 'Ansku' Äijälä\u02c62"


def _person(name: str, email: str = "anna@example.fi") -> ParticipantDetails:
    return ParticipantDetails(
        name=name,
        email=email,
        organisation_id=organisation("lapin-liitto").id,
        organisation_other=None,
        municipality_id=None,
        job_title=None,
        needs=None,
        language=Language.FI,
    )


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def _check_calendar_name(raw: bytes, name: str) -> None:
    unfolded = raw.decode().replace("\r\n ", "")
    for prop in ("NAME", "X-WR-CALNAME"):
        assert f"\r\n{prop}:{_escaped(name)}\r\n" in unfolded, prop
    by_vobject = vobject.readOne(raw.decode(), validate=True)
    assert by_vobject.contents["name"][0].value == name
    assert by_vobject.x_wr_calname.value == name
    found = icaljs(raw.decode())
    assert found["name"] == found["x_wr_calname"] == name


def test_every_text_value_and_name_reads_back_as_written(app, mailbox):
    app.config["HYTU_ORGANIZER_NAME"] = 'Lapin liitto "HYTU"'
    event = make_event(title=TITLE, description=DESCRIPTION, venue=VENUE)
    register(event.id, _person(NAME))
    db.session.commit()
    [message] = deliver(mailbox)
    raw = inline_calendar(message)
    assert b"^'" not in raw and b"^^" not in raw

    _check_calendar_name(raw, TITLE)
    by_vobject, by_icaljs = parse_everywhere(raw)
    for found in (by_vobject[event.calendar_uid], by_icaljs[event.calendar_uid]):
        assert found["summary"] == TITLE
        assert found["description"].startswith(DESCRIPTION)
        assert found["location"] == VENUE
    component = by_icaljs[event.calendar_uid]
    assert component["attendee_names"] == [NAME_READ]
    assert component["organizer_name"] == "Lapin liitto 'HYTU'"
    vevent = vobject.readOne(raw.decode(), validate=True).vevent
    assert vevent.attendee.params["CN"] == [NAME_READ]
    assert vevent.organizer.params["CN"] == ["Lapin liitto 'HYTU'"]
    [parsed] = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert parsed["ATTENDEE"].params["CN"] == NAME_READ


def test_a_series_invitation_names_its_calendar_escaped(app, coordinator, mailbox):  # noqa: F811
    series = make_series(coordinator, count=3, title=TITLE)
    db.session.commit()
    register_for_series(series.id, _person(NAME), None, now=BEFORE_SERIES)
    db.session.commit()
    [message] = deliver(mailbox)
    raw = inline_calendar(message)
    _check_calendar_name(raw, TITLE)
    by_vobject, by_icaljs = parse_everywhere(raw)
    assert by_icaljs[series.calendar_uid]["summary"] == TITLE
    assert by_icaljs[series.calendar_uid]["attendee_names"] == [NAME_READ]
