"""Calendar versions: `pages`, a second number, raised with every change a public page shows.

The public pages show more than the feeds: seats left (registrations), the summary's plan,
measures, indicators and outcomes. hytu_events.calendar.data_version says which tables count
and why the feeds' own number must not move with them. PostgreSQL: the feeds' function now
raises both numbers, a second function raises `pages` alone (both notify the channel
`calendar_version`). SQLite: the feeds' triggers are made again to raise both, and the new
tables get triggers of their own. No table is recreated, so no other trigger is lost.

Revision ID: 7d4b9e2c1f60
Revises: e0172c2bc47d
Create Date: 2026-12-01 22:15:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7d4b9e2c1f60"
down_revision = "e0172c2bc47d"
branch_labels = None
depends_on = None

#: Copied here (a migration keeps working whatever the code later says).
FEED_TABLES = (
    "events",
    "series",
    "event_municipalities",
    "event_measures",
    "municipalities",
    "measures",
)
STAMPED = ("events", "series")
PAGE_TABLES = (
    "registrations",
    "event_organisations",
    "event_coordinators",
    "organisations",
    "plans",
    "focus_areas",
    "measure_focus_areas",
    "measure_indicators",
    "measure_organisations",
    "indicators",
    "indicator_values",
    "municipal_plan_status_changes",
    "outcomes",
    "outcome_measures",
    "follow_ups",
)

POSTGRES_FEEDS_AND_PAGES = """
CREATE OR REPLACE FUNCTION calendar_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO calendar_versions (id, version, pages, token)
  VALUES (1, 1, 1, md5(random()::text))
  ON CONFLICT (id) DO UPDATE SET version = calendar_versions.version + 1,
    pages = calendar_versions.pages + 1;
  PERFORM pg_notify('calendar_version', '');
  RETURN NULL;
END
$$
"""

POSTGRES_FEEDS_ONLY = """
CREATE OR REPLACE FUNCTION calendar_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO calendar_versions (id, version, token) VALUES (1, 1, md5(random()::text))
  ON CONFLICT (id) DO UPDATE SET version = calendar_versions.version + 1;
  PERFORM pg_notify('calendar_version', '');
  RETURN NULL;
END
$$
"""

POSTGRES_PAGES = """
CREATE FUNCTION page_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO calendar_versions (id, version, pages, token)
  VALUES (1, 1, 1, md5(random()::text))
  ON CONFLICT (id) DO UPDATE SET pages = calendar_versions.pages + 1;
  PERFORM pg_notify('calendar_version', '');
  RETURN NULL;
END
$$
"""

SQLITE_FEEDS_AND_PAGES = """
  INSERT INTO calendar_versions (id, version, pages, token)
  VALUES (1, 1, 1, lower(hex(randomblob(16))))
  ON CONFLICT (id) DO UPDATE SET version = version + 1, pages = pages + 1;
"""
SQLITE_FEEDS_ONLY = """
  INSERT INTO calendar_versions (id, version, token) VALUES (1, 1, lower(hex(randomblob(16))))
  ON CONFLICT (id) DO UPDATE SET version = version + 1;
"""
SQLITE_PAGES = """
  INSERT INTO calendar_versions (id, version, pages, token)
  VALUES (1, 1, 1, lower(hex(randomblob(16))))
  ON CONFLICT (id) DO UPDATE SET pages = pages + 1;
"""

EVENTS = ("INSERT", "UPDATE", "DELETE")
#: The hot path (registering), bumped at commit on PostgreSQL (see upgrade).
AT_COMMIT = ("registrations",)


def _sqlite_triggers(prefix: str, table: str, body: str, stamped: bool) -> list[str]:
    when = " WHEN OLD.updated_at IS NOT NEW.updated_at" if stamped else ""
    return [
        f"CREATE TRIGGER {prefix}_{table}_{event.lower()} AFTER {event} ON {table}"
        f"{when if event == 'UPDATE' else ''} BEGIN {body} END"
        for event in EVENTS
    ]


def _sqlite_feed_triggers(body: str) -> None:
    for table in FEED_TABLES:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER calendar_version_{table}_{event.lower()}")
        for statement in _sqlite_triggers("calendar_version", table, body, table in STAMPED):
            op.execute(statement)


def upgrade():
    op.add_column(
        "calendar_versions",
        sa.Column("pages", sa.BigInteger(), nullable=False, server_default="1"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FEEDS_AND_PAGES)
        op.execute(POSTGRES_PAGES)
        run = "EXECUTE FUNCTION page_version_bump()"
        for table in PAGE_TABLES:
            if table in AT_COMMIT:
                continue
            op.execute(
                f"CREATE TRIGGER page_version_{table}_change AFTER INSERT OR DELETE OR TRUNCATE "
                f"OR UPDATE ON {table} FOR EACH STATEMENT {run}"
            )
        for table in AT_COMMIT:
            # The bump writes the one version row, whose lock is then held until commit: at
            # the statement it would make every registration wait for every other one (all
            # events) for the rest of its transaction. Deferred, it takes the row at commit.
            op.execute(
                f"CREATE CONSTRAINT TRIGGER page_version_{table}_change AFTER INSERT OR DELETE "
                f"OR UPDATE ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW {run}"
            )
            op.execute(
                f"CREATE TRIGGER page_version_{table}_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT {run}"
            )
        return
    _sqlite_feed_triggers(SQLITE_FEEDS_AND_PAGES)
    for table in PAGE_TABLES:
        for statement in _sqlite_triggers("page_version", table, SQLITE_PAGES, False):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in PAGE_TABLES:
            op.execute(f"DROP TRIGGER page_version_{table}_change ON {table}")
        for table in AT_COMMIT:
            op.execute(f"DROP TRIGGER page_version_{table}_truncate ON {table}")
        op.execute("DROP FUNCTION page_version_bump()")
        op.execute(POSTGRES_FEEDS_ONLY)
    else:
        for table in PAGE_TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER page_version_{table}_{event.lower()}")
        _sqlite_feed_triggers(SQLITE_FEEDS_ONLY)
    # Plain DROP COLUMN: a batch copy of the table would trip the triggers that name it.
    op.execute("ALTER TABLE calendar_versions DROP COLUMN pages")
