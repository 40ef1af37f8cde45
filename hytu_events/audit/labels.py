"""What the change history calls actions, logged fields and their values, as each feature says.

The audit log sits below every feature, so it imports none of them: a feature names its own
actions, its logged fields (as its forms call them), how a logged value is shown (an enum by its
label, a row by its name) and whom an entry is about (the participant whose attendance was
marked), from a small `audit_actions` module that the app imports at start (as Indico's
`connect_log_signals` feeds its event log). The log keeps codes and values; the history shows
them in the reader's language (audit.history).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..db.labels import LabelledEnum
from ..extensions import db

if TYPE_CHECKING:
    from .models import AuditEntry

#: Shown on the change history; an action missing here is shown as its code.
ACTION_LABELS: dict[str, Any] = {}

#: (target type, field) -> what the history calls the field (a lazy string).
FIELD_LABELS: dict[tuple[str, str], Any] = {}

#: (target type, field) -> how its logged values are shown: a labelled enum by its label, or
#: a function of the logged value (a row's name for its id).
_VALUES: dict[tuple[str, str], Callable[[Any], Any]] = {}

#: target type -> a function giving, for entries of that type, whom each is about, by id.
_SUBJECTS: dict[str, Callable[[list[AuditEntry]], dict[int, str]]] = {}


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


def register_fields(model: type, **labels: Any) -> None:
    """Name the logged fields of `model`'s rows: `title=_l("Title")`. A feature may name the
    fields it logs on another feature's rows (the measures of an event)."""
    for field, label in labels.items():
        FIELD_LABELS[audit_type(model), field] = label


def register_values(model: type, **shown: type[LabelledEnum] | Callable[[Any], Any]) -> None:
    """Show the logged values of `model`'s fields otherwise than as stored: `kind=EventKind`
    (by its labels) or `municipalities=names_of_municipalities` (a function of the value)."""
    for field, how in shown.items():
        if isinstance(how, type):
            if not issubclass(how, LabelledEnum):
                raise TypeError(f"{how.__name__} has no labels (derive it from LabelledEnum)")
            how = _enum_label(how)
        _VALUES[audit_type(model), field] = how


def register_subjects(model: type, subjects: Callable[[list[AuditEntry]], dict[int, str]]) -> None:
    """Say whom entries about `model`'s rows concern: `subjects(entries)` gives each entry's
    id a name (a participant's, never an address), for the entries it can name."""
    _SUBJECTS[audit_type(model)] = subjects


def _enum_label(enum_cls: type[LabelledEnum]) -> Callable[[Any], Any]:
    def label(value):
        try:
            return enum_cls(value).label
        except ValueError:  # a value the enum no longer has
            return value

    return label


def row_names(model: type, attribute: str = "name") -> Callable[[Any], Any]:
    """For `register_values`: logged ids of `model`'s rows (one or a list) shown by the rows'
    `attribute`; a row deleted since, by its id."""

    def names(value):
        if isinstance(value, list):
            return [names(item) for item in value]
        row = db.session.get(model, value) if isinstance(value, int) else None
        return getattr(row, attribute) if row is not None else value

    return names


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def field_label(entry: AuditEntry, field: str) -> str:
    """The field by its name in the reader's language; a field nobody named, as its key."""
    label = FIELD_LABELS.get((entry.target_type, field))
    return str(label) if label is not None else field


def shown_value(entry: AuditEntry, field: str, value: Any) -> Any:
    """A logged value as the history shows it: an enum's value by its label, an id by a name."""
    how = _VALUES.get((entry.target_type, field))
    return value if how is None else how(value)


def subjects(entries: list[AuditEntry]) -> dict[int, str]:
    """Whom each entry is about, by entry id, for those whose feature says so."""
    found: dict[int, str] = {}
    by_type: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        by_type.setdefault(entry.target_type, []).append(entry)
    for target_type, of_type in by_type.items():
        if target_type in _SUBJECTS:
            found.update(_SUBJECTS[target_type](of_type))
    return found
