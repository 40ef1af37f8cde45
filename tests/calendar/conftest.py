"""Fixtures of the calendar tests."""

from tests.calendar.clock import clock  # noqa: F401 - the fixture, for every calendar test
