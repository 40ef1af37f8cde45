"""URL converters."""

from werkzeug.routing import IntegerConverter

from .numbers import INT_MAX


def numbers_up_to(limit: int) -> str:
    """A regular expression for the whole numbers 1 to `limit`, in ASCII digits, no leading 0."""
    digits = str(limit)
    shorter = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same_length = []
    for i, digit in enumerate(digits):
        low, high = (1 if i == 0 else 0), int(digit) - 1
        if high >= low:
            same_length.append(f"{digits[:i]}[{low}-{high}][0-9]{{{len(digits) - i - 1}}}")
    return "|".join([*shorter, *same_length, digits])


class IdConverter(IntegerConverter):
    """A database id: 1 up to the largest integer the id columns hold, in ASCII digits.

    The stock int converter accepts any length and any Unicode digit ('/events/١' would be
    event 1), and PostgreSQL answers an out-of-range integer with an error. The bound is in the
    pattern, not only in the conversion: werkzeug answers a number its conversion refuses with
    405 when another rule has the same path for other methods (GET and POST of
    `/admin/events/<id>/measures`), and such URLs must be a plain 404.
    """

    regex = f"(?:{numbers_up_to(INT_MAX)})"

    def __init__(self, map, **kwargs):  # noqa: A002 - werkzeug's signature
        super().__init__(map, min=1, max=INT_MAX, **kwargs)
