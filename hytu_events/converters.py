"""URL converters."""

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """A database id: 1 up to the largest 32-bit integer.

    The stock int converter accepts any length, and PostgreSQL answers an out-of-range
    integer with an error; bounding it here turns such URLs into a plain 404.
    """

    def __init__(self, map, **kwargs):  # noqa: A002 - werkzeug's signature
        super().__init__(map, min=1, max=2**31 - 1, **kwargs)
