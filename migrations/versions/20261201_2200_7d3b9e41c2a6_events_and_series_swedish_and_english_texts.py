"""Events and series: optional Swedish and English titles and descriptions.

Empty, a reader of Swedish or English sees the Finnish text, marked as Finnish
(hytu_events.translated). The columns are added in place, never by recreating the tables:
SQLite batch mode would drop the calendar version triggers of events and series.

Revision ID: 7d3b9e41c2a6
Revises: 5c1e2f7a9b30
Create Date: 2026-12-01 22:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7d3b9e41c2a6"
down_revision = "5c1e2f7a9b30"
branch_labels = None
depends_on = None

TABLES = ("events", "series")
COLUMNS = (
    ("title_sv", sa.String(length=200)),
    ("title_en", sa.String(length=200)),
    ("description_sv", sa.Text()),
    ("description_en", sa.Text()),
)


def upgrade():
    for table in TABLES:
        for name, type_ in COLUMNS:
            op.add_column(table, sa.Column(name, type_, nullable=True))


def downgrade():
    for table in TABLES:
        for name, _ in COLUMNS:
            # SQLite (3.35+) drops a column in place, keeping the table and its triggers.
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
