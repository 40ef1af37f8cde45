"""Whole numbers from outside (addresses, forms): one rule, bounded to what the database holds.

Ids, page numbers, years and counts live in integer columns (PostgreSQL `integer`, 32 bits);
a larger number is not a row of ours, and sent on to the database it is an error there
("integer out of range") rather than an answer.
"""

from __future__ import annotations

import re

#: The range of the database's integer columns.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

#: ASCII digits only: `str.isdigit()` also says yes to '²' and '١', which int() refuses or
#: reads as another number.
_WHOLE = re.compile(r"[0-9]{1,10}")


def whole_number(text: object, *, minimum: int = 1, maximum: int = INT_MAX) -> int | None:
    """`text` as a whole number from `minimum` to `maximum`, or None if it is not one."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None
