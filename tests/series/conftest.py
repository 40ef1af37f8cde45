"""Logged-in back-office clients (tests/staff.py); argon2 is kept cheap by tests/conftest.py."""

from tests.staff import coordinator, staff, viewer_client  # noqa: F401
