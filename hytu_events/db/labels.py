"""One base for the enums whose members have a name shown to people."""

from __future__ import annotations

import enum


class LabelledEnum(enum.Enum):
    """Members are declared as `NAME = "stored value", _l("Label")`.

    The value alone is the member's value, what enum_column stores, so the database never sees
    the label. Labels are lazy strings (lazy_gettext, lazy_pgettext), turned into text each time
    `label` is read, so a page shows them in its reader's language rather than in the language
    of whoever imported the module first.
    """

    def __new__(cls, value: str, label):
        member = object.__new__(cls)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label)
