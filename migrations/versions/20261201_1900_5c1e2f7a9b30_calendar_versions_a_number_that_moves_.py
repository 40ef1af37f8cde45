"""Calendar versions: a number that moves, through triggers, with every change a public feed shows.

hytu_events.calendar.data_version says what counts as a change and why a trigger (not the app,
not a timestamp) raises it. PostgreSQL: one function, row triggers for updates, statement
triggers for inserts, deletes and TRUNCATE; the function also notifies the channel
`calendar_version` (delivered when the change commits) so that workers need not ask
(hytu_events.calendar.version_watch). SQLite: row triggers, the same rule. And an index of
events by status and end, for the window's edges the feeds' validators read.

Revision ID: 5c1e2f7a9b30
Revises: c6935da65d43
Create Date: 2026-12-01 19:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5c1e2f7a9b30"
down_revision = "c6935da65d43"
branch_labels = None
depends_on = None

#: Copied here (a migration keeps working whatever the code later says).
TRACKED_TABLES = (
    "events",
    "series",
    "event_municipalities",
    "event_measures",
    "municipalities",
    "measures",
)
#: Tables whose updates count only when they move updated_at (see data_version).
STAMPED = ("events", "series")

POSTGRES_BUMP = """
CREATE FUNCTION calendar_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO calendar_versions (id, version, token) VALUES (1, 1, md5(random()::text))
  ON CONFLICT (id) DO UPDATE SET version = calendar_versions.version + 1;
  PERFORM pg_notify('calendar_version', '');
  RETURN NULL;
END
$$
"""

SQLITE_BUMP = """
  INSERT INTO calendar_versions (id, version, token) VALUES (1, 1, lower(hex(randomblob(16))))
  ON CONFLICT (id) DO UPDATE SET version = version + 1;
"""


def _postgres_triggers(table: str) -> list[str]:
    run = "EXECUTE FUNCTION calendar_version_bump()"
    update = (
        f"AFTER UPDATE ON {table} FOR EACH ROW "
        "WHEN (OLD.updated_at IS DISTINCT FROM NEW.updated_at)"
        if table in STAMPED
        else f"AFTER UPDATE ON {table} FOR EACH STATEMENT"
    )
    return [
        f"CREATE TRIGGER calendar_version_{table}_change "
        f"AFTER INSERT OR DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT {run}",
        f"CREATE TRIGGER calendar_version_{table}_update {update} {run}",
    ]


def _sqlite_triggers(table: str) -> list[str]:
    when = " WHEN OLD.updated_at IS NOT NEW.updated_at" if table in STAMPED else ""
    return [
        f"CREATE TRIGGER calendar_version_{table}_{event.lower()} AFTER {event} ON {table}"
        f"{when if event == 'UPDATE' else ''} BEGIN {SQLITE_BUMP} END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def upgrade():
    op.create_table(
        "calendar_versions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_calendar_versions_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_versions")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(POSTGRES_BUMP)
    for table in TRACKED_TABLES:
        for statement in _postgres_triggers(table) if postgres else _sqlite_triggers(table):
            op.execute(statement)
    op.create_index("ix_events_status_ends_at", "events", ["status", "ends_at"], unique=False)
    # The first number; any change from here on raises it.
    token = "md5(random()::text)" if postgres else "lower(hex(randomblob(16)))"
    op.execute(f"INSERT INTO calendar_versions (id, version, token) VALUES (1, 1, {token})")


def downgrade():
    op.drop_index("ix_events_status_ends_at", table_name="events")
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TRACKED_TABLES:
        if postgres:
            op.execute(f"DROP TRIGGER calendar_version_{table}_change ON {table}")
            op.execute(f"DROP TRIGGER calendar_version_{table}_update ON {table}")
        else:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER calendar_version_{table}_{event}")
    if postgres:
        op.execute("DROP FUNCTION calendar_version_bump()")
    op.drop_table("calendar_versions")
