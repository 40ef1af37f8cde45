"""A person's calendar as the iTIP messages they were sent make it (RFC 5546), for the tests
that follow events and series through their changes: apply every invitation and cancellation
in the order sent, then expand what is left with two engines (tests/calendar/parsers.py).

The rules a calendar client follows, and nothing more:
- Objects are kept by UID and RECURRENCE-ID: a master (none) with its overrides, or lone
  instances of a series whose master the calendar never got.
- A message that is not newer than what is known of its object is ignored (RFC 5546 2.1.5):
  newer is a higher SEQUENCE, or the same and a later DTSTAMP. Equal is not newer: a client
  cannot tell two such messages apart, so a CANCEL must outrank the invitation it withdraws,
  and an update that keeps the SEQUENCE (a new title) needs a later DTSTAMP.
- What a CANCEL withdrew is remembered, as Google Calendar keeps a cancelled event: a later
  invitation must outrank the CANCEL to bring it back (someone who registers again).
- A REQUEST with a master replaces everything known under its UID (the set it sends is the
  whole series); a REQUEST of instances replaces or adds those, and a date the master had
  excluded (EXDATE, after a CANCEL of it) is no longer excluded.
- A CANCEL of the master withdraws the UID; a CANCEL of an instance withdraws it, and where
  the master makes it, excludes it (EXDATE).
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


def rank(vevent) -> tuple[int, datetime]:
    """How RFC 5546 orders two versions of one object: SEQUENCE, then DTSTAMP."""
    return int(vevent.get("SEQUENCE", 0)), vevent["DTSTAMP"].dt


class Known:
    """One object as the client knows it: a VEVENT, live or withdrawn by a CANCEL."""

    def __init__(self, vevent, *, withdrawn: bool = False):
        self.vevent = vevent
        self.withdrawn = withdrawn

    @property
    def rank(self) -> tuple[int, datetime]:
        return rank(self.vevent)


def _exdates(master) -> list[datetime]:
    found = master.get("EXDATE", [])
    lists = found if isinstance(found, list) else [found]
    return [moment.dt for exdate in lists for moment in exdate.dts]


def _unexclude(master, moment: datetime) -> None:
    kept = [day for day in _exdates(master) if day != moment]
    master.pop("EXDATE", None)
    if kept:
        master.add("EXDATE", kept)


class MailedCalendar:
    def __init__(self):
        #: UID -> RECURRENCE-ID in UTC (None for the master) -> what is known of it.
        self.objects: dict[str, dict[str | None, Known]] = {}
        #: What each message did, for the failure messages: (method, UID, applied or not).
        self.log: list[tuple[str, str, bool]] = []

    def apply(self, raw: bytes) -> bool:
        """Apply one message; returns whether the client took it (it was newer)."""
        parse_everywhere(raw)  # vobject (validating) and ical.js read every message
        calendar = icalendar.Calendar.from_ical(raw)
        method = str(calendar["METHOD"])
        vevents = calendar.walk("VEVENT")
        [uid] = {str(vevent["UID"]) for vevent in vevents}  # one object per iTIP message
        known = self.objects.setdefault(uid, {})
        by_rid = {_rid(vevent): vevent for vevent in vevents}
        assert len(by_rid) == len(vevents), "two VEVENTs with one RECURRENCE-ID"
        if method == "REQUEST":
            applied = self._request(known, by_rid)
        elif method == "CANCEL":
            applied = self._cancel(known, by_rid)
        else:
            raise AssertionError(f"no iTIP method for a calendar: {method}")
        self.log.append((method, uid, applied))
        return applied

    @staticmethod
    def _outdated(vevent, known, rid) -> bool:
        reference = known.get(rid) or known.get(None)
        return reference is not None and rank(vevent) <= reference.rank

    @staticmethod
    def _live_master(known):
        master = known.get(None)
        return master.vevent if master is not None and not master.withdrawn else None

    def _request(self, known, by_rid) -> bool:
        if None in by_rid:
            if self._outdated(by_rid[None], known, None):
                return False
            known.clear()
            known.update({rid: Known(vevent) for rid, vevent in by_rid.items()})
            return True
        applied = False
        for rid, vevent in by_rid.items():
            if self._outdated(vevent, known, rid):
                continue
            known[rid] = Known(vevent)
            if (master := self._live_master(known)) is not None:
                _unexclude(master, vevent["RECURRENCE-ID"].dt)
            applied = True
        return applied

    def _cancel(self, known, by_rid) -> bool:
        if None in by_rid:
            if self._outdated(by_rid[None], known, None):
                return False
            known.clear()
            known[None] = Known(by_rid[None], withdrawn=True)
            return True
        applied = False
        for rid, vevent in by_rid.items():
            if self._outdated(vevent, known, rid):
                continue
            known[rid] = Known(vevent, withdrawn=True)
            if (master := self._live_master(known)) is not None:
                master.add("EXDATE", vevent["RECURRENCE-ID"].dt)
            applied = True
        return applied

    def live(self) -> list:
        """The VEVENTs the calendar shows (what no CANCEL withdrew)."""
        return [
            entry.vevent
            for known in self.objects.values()
            for entry in known.values()
            if not entry.withdrawn
        ]

    def to_ical(self) -> bytes:
        """What the calendar shows, as one calendar the parsers can expand."""
        calendar = icalendar.Calendar()
        calendar.add("PRODID", "-//tests//mailed calendar//EN")
        calendar.add("VERSION", "2.0")
        calendar.add_component(vtimezone(TZID, 2026, 2028))
        for vevent in self.live():
            calendar.add_component(vevent)
        return calendar.to_ical()
