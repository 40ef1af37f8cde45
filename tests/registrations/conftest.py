"""Logged-in back-office clients (tests/staff.py); argon2 is kept cheap by tests/conftest.py.
The race window of the load tests (tests/registrations/race.py)."""

from tests.registrations.race import race_window  # noqa: F401
from tests.staff import coordinator, staff, viewer_client  # noqa: F401
