"""A person's calendar as the iTIP messages they were sent make it (RFC 5546), for the tests
that follow a series through its changes: apply every invitation and cancellation in the order
sent, then expand what is left with two engines (tests/calendar/parsers.py).

The rules a calendar client follows, and nothing more:
- Objects are kept by UID and RECURRENCE-ID: a master (none) with its overrides, or lone
  instances of a series whose master the calendar never got.
- A message older than what is kept (a lower SEQUENCE, or the same and an earlier DTSTAMP) is
  ignored: a CANCEL must outrank the invitation it withdraws (RFC 5546 2.1.5).
- A REQUEST with a master replaces everything kept under its UID (the set it sends is the
  whole series); a REQUEST of instances replaces or adds those.
- A CANCEL of the master removes the UID; a CANCEL of an instance removes it, and where the
  master makes it, excludes it (EXDATE).
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from hytu_events.calendar.vtimezone import vtimezone
from tests.calendar.parsers import parse_everywhere

TZID = "Europe/Helsinki"


def _rid(vevent) -> str | None:
    if "RECURRENCE-ID" not in vevent:
        return None
    return vevent["RECURRENCE-ID"].dt.astimezone(UTC).isoformat()


def _rank(vevent) -> tuple[int, datetime]:
    return int(vevent.get("SEQUENCE", 0)), vevent["DTSTAMP"].dt


class MailedCalendar:
    def __init__(self):
        #: UID -> RECURRENCE-ID in UTC (None for the master) -> VEVENT.
        self.objects: dict[str, dict[str | None, icalendar.Event]] = {}
        #: What each message did, for the failure messages: (method, UID, applied or not).
        self.log: list[tuple[str, str, bool]] = []

    def apply(self, raw: bytes) -> None:
        parse_everywhere(raw)  # vobject (validating) and ical.js read every message
        calendar = icalendar.Calendar.from_ical(raw)
        method = str(calendar["METHOD"])
        vevents = calendar.walk("VEVENT")
        [uid] = {str(vevent["UID"]) for vevent in vevents}  # one object per iTIP message
        kept = self.objects.setdefault(uid, {})
        by_rid = {_rid(vevent): vevent for vevent in vevents}
        assert len(by_rid) == len(vevents), "two VEVENTs with one RECURRENCE-ID"
        if method == "REQUEST":
            applied = self._request(kept, by_rid)
        elif method == "CANCEL":
            applied = self._cancel(kept, by_rid)
        else:
            raise AssertionError(f"no iTIP method for a calendar: {method}")
        self.log.append((method, uid, applied))
        if not kept:
            del self.objects[uid]

    @staticmethod
    def _outdated(vevent, kept, rid) -> bool:
        reference = kept.get(rid) or kept.get(None)
        return reference is not None and _rank(vevent) < _rank(reference)

    def _request(self, kept, by_rid) -> bool:
        if None in by_rid:
            if self._outdated(by_rid[None], kept, None):
                return False
            kept.clear()
            kept.update(by_rid)
            return True
        applied = False
        for rid, vevent in by_rid.items():
            if not self._outdated(vevent, kept, rid):
                kept[rid] = vevent
                applied = True
        return applied

    def _cancel(self, kept, by_rid) -> bool:
        if None in by_rid:
            if self._outdated(by_rid[None], kept, None):
                return False
            kept.clear()
            return True
        applied = False
        for rid, vevent in by_rid.items():
            if self._outdated(vevent, kept, rid):
                continue
            kept.pop(rid, None)
            if (master := kept.get(None)) is not None:
                master.add("EXDATE", vevent["RECURRENCE-ID"].dt)
            applied = True
        return applied

    def to_ical(self) -> bytes:
        """What is kept, as one calendar the parsers can expand."""
        calendar = icalendar.Calendar()
        calendar.add("PRODID", "-//tests//mailed calendar//EN")
        calendar.add("VERSION", "2.0")
        calendar.add_component(vtimezone(TZID, 2026, 2028))
        for kept in self.objects.values():
            for vevent in kept.values():
                calendar.add_component(vevent)
        return calendar.to_ical()
