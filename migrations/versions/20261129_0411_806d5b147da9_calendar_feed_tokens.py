"""Calendar feed tokens: secret, revocable addresses of personal feeds.

Revision ID: 806d5b147da9
Revises: 914601c8637d
Create Date: 2026-11-29 04:11:52.790140

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '806d5b147da9'
down_revision = '914601c8637d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(email IS NULL) <> (user_id IS NULL)', name=op.f('ck_calendar_feed_tokens_one_owner')),
    sa.CheckConstraint('email IS NULL OR email = lower(email)', name=op.f('ck_calendar_feed_tokens_email_lower_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_tokens_token_hash'))
    )
    with op.batch_alter_table('calendar_feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_tokens_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_feed_tokens_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_calendar_feed_tokens_active_email', ['email'], unique=True, sqlite_where=sa.text('revoked_at IS NULL AND email IS NOT NULL'), postgresql_where=sa.text('revoked_at IS NULL AND email IS NOT NULL'))



def downgrade():
    with op.batch_alter_table('calendar_feed_tokens', schema=None) as batch_op:
        batch_op.drop_index('uq_calendar_feed_tokens_active_email', sqlite_where=sa.text('revoked_at IS NULL AND email IS NOT NULL'), postgresql_where=sa.text('revoked_at IS NULL AND email IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_calendar_feed_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_calendar_feed_tokens_email'))

    op.drop_table('calendar_feed_tokens')
