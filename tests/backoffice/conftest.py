"""Logged-in clients for the back-office tests."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from hytu_events.accounts import models as account_models
from hytu_events.models import Role
from tests.accounts.helpers import log_in, make_user


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    # Many logins: minimal argon2 cost keeps the suite fast; the code path is the same.
    monkeypatch.setattr(
        account_models,
        "password_hasher",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


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
