"""Independent iCalendar parsers for the tests: vobject (validating) and Mozilla's ical.js."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC
from pathlib import Path

import vobject

from hytu_events.config import PROJECT_ROOT
from tests.conftest import unavailable

_SCRIPT = Path(__file__).with_name("icaljs_expand.mjs")


def assert_wire_format(raw: bytes) -> None:
    """RFC 5545 3.1: CRLF line ends, lines of at most 75 octets, folds never split a character."""
    assert raw.endswith(b"\r\n")
    lines = raw[:-2].split(b"\r\n")
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, f"bare line break in {line!r}"
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold inside a multi-byte character would fail here


def vobject_events(text: str) -> dict[str, dict]:
    """Events by UID as vobject reads them, with validation on; times resolved through the
    VTIMEZONE in the file (vobject builds its tzinfo from it)."""
    calendar = vobject.readOne(text, validate=True)
    events = {}
    for vevent in getattr(calendar, "vevent_list", []):
        start, end = vevent.dtstart.value, vevent.dtend.value
        # The zone must come from the file's VTIMEZONE, not from a zone database.
        assert type(start.tzinfo).__name__ == "_tzicalvtz", type(start.tzinfo)
        events[vevent.uid.value] = {
            "summary": vevent.summary.value,
            "description": vevent.description.value,
            "location": vevent.location.value if hasattr(vevent, "location") else None,
            "status": vevent.status.value,
            "sequence": int(vevent.sequence.value),
            "url": vevent.url.value if hasattr(vevent, "url") else None,
            "categories": [
                value for prop in getattr(vevent, "categories_list", []) for value in prop.value
            ],
            "start_local": start.replace(tzinfo=None).isoformat(),
            "start_utc": start.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z",
            "end_utc": end.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z",
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
    events = icaljs(text)["events"]
    by_uid = {event["uid"]: event for event in events}
    assert len(by_uid) == len(events), "an event was expanded more than once"
    return by_uid


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
