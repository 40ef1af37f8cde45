"""The change history as pages show it (templates/admin/_audit.html): each entry's action, whom
it is about, who made it and when, and its fields by the names the forms give them, with their
values in the reader's language and on the network's clock.

An entry that made a row (no `before`) or removed one (no `after`) lists the row's values; an
entry that changed one lists, per field that differs, the value before and after, or that a
value was added where there was none, or removed. Fields empty on both sides (None, "", [])
are no change and not listed; a field logged on one side only is something the entry tells
(the event a copy was made from, which personal details changed) and listed as a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _

from ..i18n import clock, day, moment, number
from .labels import action_label, field_label, shown_value, subjects
from .models import AuditEntry

#: The forms json_safe gave datetimes, dates and times (audit.json_safe: isoformat()).
_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_TIME = re.compile(r"\d\d:\d\d(:\d\d)?")


@dataclass(frozen=True)
class Change:
    label: str
    #: "value" (of a row made or removed: in `after`), "added", "removed" or "changed".
    kind: str
    #: The values as written for the reader.
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class Item:
    entry: AuditEntry
    action: str
    #: Whom the entry is about (a participant's name), when the feature names it.
    subject: str | None
    changes: list[Change]


def written(value: Any) -> str | None:
    """A logged (or shown) value as the reader reads it; None for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, str):
        return _written_text(value)
    if isinstance(value, list | tuple):
        return ", ".join(text for text in map(written, value) if text is not None) or None
    if isinstance(value, dict):
        pairs = ((key, written(item)) for key, item in value.items())
        return ", ".join(f"{key}: {text}" for key, text in pairs if text is not None) or None
    return str(value)


def _written_text(value: str) -> str:
    """Times the log kept as ISO 8601 text, as the reader's language writes them."""
    try:
        if _MOMENT.fullmatch(value):
            logged = datetime.fromisoformat(value.replace("Z", "+00:00"))
            # Every datetime is stored in UTC: a value without its offset is one too.
            return moment(logged if logged.tzinfo else logged.replace(tzinfo=UTC))
        if _DAY.fullmatch(value):
            return day(date.fromisoformat(value))
        if _TIME.fullmatch(value):
            return clock(time.fromisoformat(value))
    except ValueError:  # looked like a time, was not one
        pass
    return value


def _shown(entry: AuditEntry, field: str, value: Any) -> str | None:
    return written(shown_value(entry, field, value))


def changes(entry: AuditEntry) -> list[Change]:
    if entry.before is None or entry.after is None:  # a row made or removed: its values
        values = entry.after if entry.before is None else entry.before
        shown = ((field, _shown(entry, field, value)) for field, value in (values or {}).items())
        return [
            Change(field_label(entry, field), "value", after=text)
            for field, text in shown
            if text is not None
        ]
    rows = []
    for field, before, after in entry.changes():
        old, new = _shown(entry, field, before), _shown(entry, field, after)
        if field not in entry.before or field not in entry.after:  # told, not changed
            if (text := new if old is None else old) is not None:
                rows.append(Change(field_label(entry, field), "value", after=text))
            continue
        if old == new:  # nothing on either side, or the same once written
            continue
        kind = "added" if old is None else "removed" if new is None else "changed"
        rows.append(Change(field_label(entry, field), kind, old, new))
    return rows


def history(entries: list[AuditEntry]) -> list[Item]:
    """The entries as the history shows them, in their order."""
    about = subjects(entries)
    return [
        Item(entry, action_label(entry.action), about.get(entry.id), changes(entry))
        for entry in entries
    ]
