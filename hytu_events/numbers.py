"""Whole numbers and dates from outside (addresses, forms): bounded to what the app can hold.

Ids, page numbers, years and counts live in integer columns (PostgreSQL `integer`, 32 bits);
a larger number is not a row of ours, and sent on to the database it is an error there
("integer out of range") rather than an answer.
"""

from __future__ import annotations

import re

#: The range of the database's integer columns.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

#: The years a date from outside may fall in: near year 1 or 9999, converting a local time to
#: UTC or adding a grace period leaves what Python's dates can hold (OverflowError).
FIRST_YEAR, LAST_YEAR = 1900, 2200

#: ASCII digits only: `str.isdigit()` also says yes to '²' and '١', which int() refuses or
#: reads as another number.
_WHOLE = re.compile(r"[0-9]{1,10}")


def whole_number(text: object, *, minimum: int = 1, maximum: int = INT_MAX) -> int | None:
    """`text` as a whole number from `minimum` to `maximum`, or None if it is not one."""
    if not isinstance(text, str) or not _WHOLE.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None
