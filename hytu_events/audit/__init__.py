"""Recording changes made in the back office, and reading them back for an event's page.

    before = audit.snapshot(event, EVENT_FIELDS)
    ...change the event...
    audit.record("event.updated", event, before=before, after=audit.snapshot(event, EVENT_FIELDS))
    db.session.commit()

`record` adds the entry to the current session, so it is saved (or rolled back) together with
the change it describes. Each feature names its actions, fields and values for the history
itself (`register_actions`, `register_fields`, `register_values`, `register_subjects`, see
audit.labels): this package imports no feature. audit.history writes entries for the page.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_login import current_user

from ..extensions import db
from .labels import (
    ACTION_LABELS,
    action_label,
    audit_type,
    field_label,
    register_actions,
    register_fields,
    register_subjects,
    register_values,
    row_names,
    shown_value,
)
from .models import AuditEntry

__all__ = [
    "ACTION_LABELS",
    "AuditEntry",
    "action_label",
    "audit_type",
    "entries_for_event",
    "entries_for_target",
    "field_label",
    "record",
    "register_actions",
    "register_fields",
    "register_subjects",
    "register_values",
    "row_names",
    "shown_value",
    "snapshot",
    "target_type_of",
]


def json_safe(value: Any) -> Any:
    """A value the JSON column can hold: datetimes as ISO 8601, enums as their value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_safe(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if hasattr(value, "id"):  # a related row (organisation, municipality): its id
        return value.id
    return str(value)


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of `obj` as a JSON-safe dict (for `before=` and `after=`)."""
    return {field: json_safe(getattr(obj, field)) for field in fields}


def target_type_of(target: Any) -> str:
    """What `record` files a row under, for `entries_for_target`."""
    return audit_type(type(target))


def _event_id_of(target: Any) -> int | None:
    if type(target).__name__ == "Event":
        return target.id
    return getattr(target, "event_id", None)


def record(
    action: str,
    target: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    event_id: int | None = None,
) -> AuditEntry:
    """Add an entry for the current user to the session (the caller commits).

    `target` is the changed row (an Event, a Registration, a User); `event_id` defaults to the
    event itself or to the target's `event_id`, so registration changes show on the event page.
    """
    if getattr(target, "id", None) is None:
        db.session.flush()  # a new row: give it its id first
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    entry = AuditEntry(
        user_id=user_id,
        action=action,
        target_type=target_type_of(target),
        target_id=getattr(target, "id", None),
        event_id=event_id if event_id is not None else _event_id_of(target),
        before=json_safe(before) if before is not None else None,
        after=json_safe(after) if after is not None else None,
    )
    db.session.add(entry)
    return entry


def entries_for_event(event_id: int, limit: int | None = None) -> list[AuditEntry]:
    """Changes to the event and its registrations, newest first."""
    query = (
        sa.select(AuditEntry)
        .where(AuditEntry.event_id == event_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def entries_for_target(target_type: str, target_id: int, limit: int | None = None):
    """Changes to one row (a user, say), newest first."""
    query = (
        sa.select(AuditEntry)
        .where(AuditEntry.target_type == target_type, AuditEntry.target_id == target_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))
