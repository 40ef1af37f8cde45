"""Database helpers shared by every feature: column types, locks, connection settings."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite enforces foreign keys only when asked, per connection; WAL lets readers work
    while a registration holds the write lock. A registration also builds its email (outbox)
    under that lock, so a burst of 200 needs writers to wait longer than 10 s."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        # The wait comes first: everything after it may meet another writer's lock.
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Switching the mode needs a lock of its own; the database keeps it once set.
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
