"""What the change history calls actions and logged enum values, as each feature registers.

The audit log sits below every feature, so it imports none of them: a feature names its own
actions and says which of its fields hold a labelled enum, from a small `audit_actions` module
that the app imports at start (as Indico's `connect_log_signals` feeds its event log).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..db.labels import LabelledEnum

if TYPE_CHECKING:
    from .models import AuditEntry

#: Shown on the change history; an action missing here is shown as its code.
ACTION_LABELS: dict[str, Any] = {}

#: (target type, field) -> the labelled enum its logged values come from. The log keeps the
#: values; the history shows their labels, in the reader's language.
_LABELLED_FIELDS: dict[tuple[str, str], type[LabelledEnum]] = {}


def audit_type(model: type) -> str:
    """What `record` files rows of `model` under (`event`, `registration`, `focusarea`)."""
    return getattr(model, "__audit_type__", None) or model.__name__.lower()


def register_actions(labels: Mapping[str, Any]) -> None:
    """Name a feature's actions: `{"event.published": _l("Event published")}`.

    One code means one thing: naming it again otherwise is a mistake, and refused.
    """
    for action, label in labels.items():
        if action in ACTION_LABELS and ACTION_LABELS[action] != label:
            raise ValueError(f"audit action {action!r} is already named otherwise")
        ACTION_LABELS[action] = label


def register_labelled_fields(model: type, **fields: type[LabelledEnum]) -> None:
    """Show the logged values of `model`'s `fields` by their labels: `kind=EventKind`."""
    for field, enum_cls in fields.items():
        if not issubclass(enum_cls, LabelledEnum):
            raise TypeError(f"{enum_cls.__name__} has no labels (derive it from LabelledEnum)")
        _LABELLED_FIELDS[audit_type(model), field] = enum_cls


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def shown_value(entry: AuditEntry, field: str, value: Any) -> Any:
    """A logged value as the history shows it: an enum's value by its label."""
    enum_cls = _LABELLED_FIELDS.get((entry.target_type, field))
    if enum_cls is None or not isinstance(value, str):
        return value
    try:
        member = enum_cls(value)
    except ValueError:  # a value the enum no longer has
        return value
    return member.label if isinstance(member, LabelledEnum) else value
