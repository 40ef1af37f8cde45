"""Events: linked partner organisations and coordinators; attendance of registrations.

Revision ID: 602f55782117
Revises: 914601c8637d
Create Date: 2026-11-29 04:21:20.559370

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '602f55782117'
down_revision = '914601c8637d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_organisations',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_organisations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_event_organisations_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('event_id', 'organisation_id', name=op.f('pk_event_organisations'))
    )
    op.create_table('event_coordinators',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_coordinators_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_coordinators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_coordinators'))
    )
    op.create_index('ix_event_coordinators_user_id', 'event_coordinators', ['user_id'])
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attended', sa.Boolean(), nullable=True))



def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('attended')

    op.drop_index('ix_event_coordinators_user_id', table_name='event_coordinators')
    op.drop_table('event_coordinators')
    op.drop_table('event_organisations')
