"""What text from outside may hold: one rule for addresses, forms and imported files.

Control characters (Unicode category Cc: C0, DEL, C1) are never typed on purpose, and
PostgreSQL cannot store a NUL at all. Multi-line text may hold tabs and line breaks; nothing
else may.
"""

from __future__ import annotations

import re

LINE_BREAKS_AND_TABS = frozenset("\t\n\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    return bool((_CONTROL_IN_TEXT if multiline else _CONTROL).search(text))


def only_line_breaks_and_tabs(text: str) -> bool:
    """Whether every control character in `text` is a tab or a line break."""
    return set(_CONTROL.findall(text)) <= LINE_BREAKS_AND_TABS
