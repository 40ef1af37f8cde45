"""The README's backup procedure, performed: pg_dump -Fc, the database dropped, pg_restore into
a fresh one, and the app reads back everything it had (pages, registrations, the outbox)."""

from __future__ import annotations

import secrets
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from hytu_events import create_app
from hytu_events.extensions import db
from hytu_events.mailing.models import OutboxMessage
from hytu_events.models import Event, Registration
from hytu_events.partners.seed import seed_reference_data
from hytu_events.registrations.operations import register
from tests.conftest import IsolatedClient, _test_config, _with_database, unavailable
from tests.helpers import make_event
from tests.registrations.test_waitlist import details

pytestmark = pytest.mark.postgres_only


def _libpq(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _everything(app) -> dict:
    with app.app_context():
        tables = {
            table.name: db.session.execute(sa.select(table).order_by(*table.primary_key)).all()
            for table in db.metadata.sorted_tables
        }
        revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        db.session.remove()
        db.engine.dispose()
    return {"tables": tables, "revision": revision}


def test_dump_drop_restore_reads_everything_back(postgres_server_url, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        unavailable("the backup test needs pg_dump and pg_restore (postgresql-client)")
    name = f"hytu_backup_{secrets.token_hex(4)}"
    url = _with_database(postgres_server_url, name)
    admin = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")

    def sql(statement: str) -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(statement))

    sql(f'CREATE DATABASE "{name}"')
    try:
        app = create_app(_test_config(url))
        with app.app_context():
            upgrade()
            seed_reference_data()
            event = make_event(capacity=1, title="Varmuuskopio: Rovaniemi")
            for n in range(2):
                register(event.id, details(n))
                db.session.commit()
        before = _everything(app)
        assert len(before["tables"][Registration.__tablename__]) == 2
        assert len(before["tables"][OutboxMessage.__tablename__]) == 2

        dump = tmp_path / "hytu.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(url)],
            check=True,
            timeout=120,
        )
        sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        sql(f'CREATE DATABASE "{name}"')
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(url)}", str(dump)],
            check=True,
            timeout=120,
        )

        restored = create_app(_test_config(url))
        assert _everything(restored) == before
        restored.test_client_class = IsolatedClient
        client = restored.test_client()
        assert "Varmuuskopio: Rovaniemi" in client.get("/").text
        with restored.app_context():
            # Sequences came back too: a new row does not collide with a restored one.
            register(db.session.scalar(sa.select(Event.id)), details(3))
            db.session.commit()
            assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 3
            db.engine.dispose()
    finally:
        sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
