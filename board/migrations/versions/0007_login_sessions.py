"""server-side sign-in sessions and the shared login throttle

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 09:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import board.db.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('created_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('seen_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_login_sessions_user_id'), 'login_sessions', ['user_id'], unique=False)
    op.create_table('login_attempts',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('window_start', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    # Sessions are rows now: ending them deletes the rows, no epoch to raise.
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_epoch')


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))
    op.drop_table('login_attempts')
    op.drop_index(op.f('ix_login_sessions_user_id'), table_name='login_sessions')
    op.drop_table('login_sessions')
