"""Registrations: sequence_offset; outbox messages: calendar_stamp.

sequence_offset is what invitations to a person add to the event's SEQUENCE: a change of their
own places raises it, so that their CANCEL outranks the invitation it withdraws and a new
invitation outranks the CANCEL (registrations.calendar_copy). Existing places start at 0: the
invitations already sent carried the event's revision alone.

calendar_stamp is the DTSTAMP of the iTIP message a row carries; the next message to the same
address is stamped later (mailing.outbox.next_calendar_stamp). Messages queued before this
revision have none, and were all stamped before now.

Revision ID: c6935da65d43
Revises: 343af2c51f87
Create Date: 2026-12-01 18:45:15.387021

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c6935da65d43"
down_revision = "343af2c51f87"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_stamp", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_outbox_messages_calendar_stamp", ["to_address", "calendar_stamp"], unique=False
        )

    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sequence_offset", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("sequence_offset")

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_calendar_stamp")
        batch_op.drop_column("calendar_stamp")
