"""Logged-in back-office clients, as fixtures: a test package's conftest imports them
(`from tests.staff import coordinator, staff, viewer_client`)."""

from __future__ import annotations

import pytest

from hytu_events.models import Role
from tests.accounts.helpers import log_in, make_user


@pytest.fixture
def coordinator(app):
    return make_user(
        Role.COORDINATOR, email="koordinaattori@example.fi", name="Kaija Koordinaattori"
    )


@pytest.fixture
def staff(client, coordinator):
    """The test client, logged in as a coordinator."""
    log_in(client, coordinator)
    return client


@pytest.fixture
def viewer_client(app):
    viewer = make_user(Role.VIEWER, email="viewer@example.fi", name="Veera Viewer")
    client = app.test_client()
    log_in(client, viewer)
    return client
