"""Independent iCalendar parsers for the tests: vobject (validating) and Mozilla's ical.js."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import vobject

from hytu_events.config import PROJECT_ROOT
from tests.conftest import unavailable

_SCRIPT = Path(__file__).with_name("icaljs_expand.mjs")
HELSINKI = ZoneInfo("Europe/Helsinki")


def assert_wire_format(raw: bytes) -> None:
    """RFC 5545 3.1: CRLF line ends, lines of at most 75 octets, folds never split a character."""
    assert raw.endswith(b"\r\n")
    lines = raw[:-2].split(b"\r\n")
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, f"bare line break in {line!r}"
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold inside a multi-byte character would fail here


def component_key(uid: str, recurrence_id: str | None) -> str:
    """A VEVENT's key: its UID, and for an override or a lone instance of a series its
    RECURRENCE-ID in UTC as well ("uid#2027-03-25T07:00:00Z")."""
    return uid if recurrence_id is None else f"{uid}#{recurrence_id}"


def _utc(moment) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def vobject_events(text: str) -> dict[str, dict]:
    """VEVENTs by key (component_key) as vobject reads them, with validation on; times
    resolved through the VTIMEZONE in the file (vobject builds its tzinfo from it)."""
    calendar = vobject.readOne(text, validate=True)
    events = {}
    for vevent in getattr(calendar, "vevent_list", []):
        start, end = vevent.dtstart.value, vevent.dtend.value
        # The zone must come from the file's VTIMEZONE, not from a zone database.
        assert type(start.tzinfo).__name__ == "_tzicalvtz", type(start.tzinfo)
        recurrence_id = (
            _utc(vevent.recurrence_id.value) if hasattr(vevent, "recurrence_id") else None
        )
        key = component_key(vevent.uid.value, recurrence_id)
        assert key not in events, f"two VEVENTs are {key}"
        events[key] = {
            "summary": vevent.summary.value,
            "description": vevent.description.value,
            "location": vevent.location.value if hasattr(vevent, "location") else None,
            "status": vevent.status.value if hasattr(vevent, "status") else None,
            "sequence": int(vevent.sequence.value),
            "url": vevent.url.value if hasattr(vevent, "url") else None,
            "categories": [
                value for prop in getattr(vevent, "categories_list", []) for value in prop.value
            ],
            "rrule": vevent.rrule.value if hasattr(vevent, "rrule") else None,
            "start_local": start.replace(tzinfo=None).isoformat(),
            "start_utc": _utc(start),
            "end_utc": _utc(end),
        }
    return events


def icaljs(text: str) -> dict:
    """The calendar as ical.js expands it (see icaljs_expand.mjs)."""
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is not installed; the ical.js parser tests need it")
    if not (PROJECT_ROOT / "node_modules" / "ical.js").is_dir():
        unavailable("node_modules/ical.js is missing: run `npm ci` (make test does)")
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [node, str(_SCRIPT), "Europe/Helsinki"],
        input=text.encode(),
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def icaljs_events(text: str) -> dict[str, dict]:
    """VEVENTs by key (component_key) as ical.js reads them, unexpanded."""
    components = icaljs(text)["components"]
    by_key = {component_key(c["uid"], c["recurrence_id"]): c for c in components}
    assert len(by_key) == len(components), "two VEVENTs have the same UID and RECURRENCE-ID"
    return by_key


def parse_everywhere(raw: bytes) -> tuple[dict[str, dict], dict[str, dict]]:
    """Wire format checked, then parsed by both parsers, which must agree on the essentials."""
    assert_wire_format(raw)
    text = raw.decode("utf-8")
    by_vobject, by_icaljs = vobject_events(text), icaljs_events(text)
    assert by_vobject.keys() == by_icaljs.keys()
    for uid, ours in by_vobject.items():
        theirs = by_icaljs[uid]
        for key in (
            "summary",
            "description",
            "location",
            "url",
            "categories",
            "status",
            "sequence",
            "start_local",
            "start_utc",
            "end_utc",
        ):
            assert ours[key] == theirs[key], (uid, key, ours[key], theirs[key])
    return by_vobject, by_icaljs


# Expanding series: what two calendar engines make of an RRULE with its EXDATEs and overrides.


def _occurrence(uid: str, summary: str, status: str | None, start, end) -> dict:
    return {
        "uid": uid,
        "summary": summary,
        "status": status,
        "start_local": start.astimezone(HELSINKI).replace(tzinfo=None).isoformat(),
        "start_utc": _utc(start),
        "end_utc": _utc(end),
    }


def recurring_occurrences(raw: bytes, first: date, last: date) -> list[dict]:
    """Every occurrence from `first` to `last` (inclusive) as recurring_ical_events expands
    the calendar, by start."""
    calendar = icalendar.Calendar.from_ical(raw)
    found = [
        _occurrence(
            str(vevent["UID"]),
            str(vevent["SUMMARY"]),
            str(vevent["STATUS"]) if "STATUS" in vevent else None,
            vevent["DTSTART"].dt,
            vevent["DTEND"].dt,
        )
        for vevent in recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
    ]
    return sorted(found, key=lambda occurrence: (occurrence["start_utc"], occurrence["uid"]))


def icaljs_occurrences(text: str) -> list[dict]:
    """Every occurrence as ical.js (Thunderbird) expands the calendar, by start."""
    found = [
        {key: event[key] for key in ("uid", "summary", "status", "start_local")}
        | {"start_utc": event["start_utc"], "end_utc": event["end_utc"]}
        for event in icaljs(text)["events"]
    ]
    return sorted(found, key=lambda occurrence: (occurrence["start_utc"], occurrence["uid"]))


def expand_everywhere(raw: bytes, first: date, last: date) -> list[dict]:
    """The calendar validated and parsed as parse_everywhere does, then expanded by both
    engines, which must give the same occurrences; returns them."""
    parse_everywhere(raw)
    by_recurring = recurring_occurrences(raw, first, last)
    by_icaljs = [
        occurrence
        for occurrence in icaljs_occurrences(raw.decode("utf-8"))
        if first.isoformat() <= occurrence["start_local"][:10] <= last.isoformat()
    ]
    assert by_recurring == by_icaljs, (by_recurring, by_icaljs)
    return by_recurring
