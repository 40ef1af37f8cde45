"""Fixtures shared by the whole suite.

Every test that takes `app` runs once on SQLite and once on PostgreSQL. PostgreSQL comes from
TEST_DATABASE_URL: this run creates a database of its own on that server and drops it at the
end, so parallel runs never see each other's rows. Outside CI a missing server skips those
tests with the reason; in CI (CI=true) it is an error.
"""

from __future__ import annotations

import contextvars
import os
import secrets
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from hytu_events import create_app
from hytu_events.extensions import db
from hytu_events.partners.seed import seed_reference_data

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str):
    """Skip locally; in CI a missing service is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not skip)", pytrace=False)
    pytest.skip(reason)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1).replace(
        "postgres://", "postgresql+psycopg://", 1
    )


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        unavailable(
            "PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    engine = sa.create_engine(_psycopg_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        unavailable(f"PostgreSQL at {urlsplit(url).hostname} is not reachable: {error.orig}")
    finally:
        engine.dispose()
    return _psycopg_url(url)


@pytest.fixture(scope="session")
def postgres_database_url(postgres_server_url: str, worker_id: str) -> Iterator[str]:
    """A database of this run's own on the shared server, dropped afterwards."""
    name = f"hytu_test_{os.getpid()}_{worker_id}_{secrets.token_hex(3)}".lower()
    admin = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_database(postgres_server_url, name)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    """pytest-xdist's worker name, or 'main' without xdist."""
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def _test_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BASE_URL": "http://hytu.test",
        "WTF_CSRF_ENABLED": True,
        "MAIL_SERVER": "",
        **extra,
    }


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """A migrated, empty database on each backend (the schema comes from the migrations)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'hytu.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_database_url")
    app = create_app(_test_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def wipe(app: Flask) -> None:
    """Empty every table (the schema stays), so each test starts from seed data."""
    with app.app_context():
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
                )
            else:
                for table in tables:
                    connection.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict) -> Iterator[Flask]:
    """The app on one backend, with municipalities and organisations seeded."""
    app = create_app(_test_config(database_url, **app_config))
    with app.app_context():
        seed_reference_data()
        db.session.commit()
        yield app
        db.session.rollback()
        db.session.remove()
    wipe(app)
    with app.app_context():
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, as a real server does.

    The `app` fixture keeps an app context pushed for the test body; without this, requests
    would reuse it and share the test's database session and Flask-Babel's cached locale.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app: Flask):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def backend(app: Flask) -> str:
    return db.engine.dialect.name


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """argon2 at its lowest cost: tests log in hundreds of times; the code path is the same.

    tests/accounts/test_login.py checks that logging in upgrades such hashes.
    """
    from argon2 import PasswordHasher

    from hytu_events.accounts import models

    monkeypatch.setattr(
        models, "password_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
