"""Series: a recurrence rule in wall time, and its dates as events linked to it.

Each date of a series is an event with the series' id and the start its rule gave it
(recurrence_id); events that are no date of a series have neither.

Revision ID: 54ab95c794ef
Revises: 1a23ca1036c3
Create Date: 2026-12-01 15:11:31.974453

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "54ab95c794ef"
down_revision = "1a23ca1036c3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar_uid", sa.String(length=120), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum(
                "weekly",
                "monthly",
                name="series_frequency",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("every", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=False),
        sa.Column("week_of_month", sa.Integer(), nullable=True),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("number_of_dates", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=True),
        sa.Column("online_url", sa.String(length=500), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("title <> ''", name=op.f("ck_series_title_not_empty")),
        sa.CheckConstraint("weekdays <> ''", name=op.f("ck_series_weekdays_not_empty")),
        sa.CheckConstraint(
            "(ends_on IS NULL) <> (number_of_dates IS NULL)",
            name=op.f("ck_series_ends_on_or_number_of_dates"),
        ),
        sa.CheckConstraint("every >= 1", name=op.f("ck_series_every_positive")),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_series_minutes_positive")),
        sa.CheckConstraint(
            "number_of_dates IS NULL OR number_of_dates >= 1",
            name=op.f("ck_series_number_of_dates_positive"),
        ),
        sa.CheckConstraint("revision >= 0", name=op.f("ck_series_revision_not_negative")),
        sa.CheckConstraint(
            "week_of_month IS NULL OR week_of_month IN (-1, 1, 2, 3, 4)",
            name=op.f("ck_series_week_of_month_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("calendar_uid", name=op.f("uq_series_calendar_uid")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recurrence_id", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_series_id"), ["series_id"], unique=False)
        batch_op.create_unique_constraint(
            "uq_events_series_recurrence_id", ["series_id", "recurrence_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_events_series_id_series"),
            "series",
            ["series_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            "series_date_has_recurrence_id", "(series_id IS NULL) = (recurrence_id IS NULL)"
        )


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("series_date_has_recurrence_id", type_="check")
        batch_op.drop_constraint(batch_op.f("fk_events_series_id_series"), type_="foreignkey")
        batch_op.drop_constraint("uq_events_series_recurrence_id", type_="unique")
        batch_op.drop_index(batch_op.f("ix_events_series_id"))
        batch_op.drop_column("recurrence_id")
        batch_op.drop_column("series_id")

    op.drop_table("series")
