"""Registrations: whole_series, a place taken by registering once for the whole series.

Such people get a place at each date later added at the end of the series as well
(hytu_events.series.followers). Places taken before this revision say False: whether their
person chose the whole series was not recorded, so nobody is given dates they did not ask for.

Revision ID: 343af2c51f87
Revises: 54ab95c794ef
Create Date: 2026-12-01 16:40:39.214037

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "343af2c51f87"
down_revision = "54ab95c794ef"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("whole_series", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("whole_series")
