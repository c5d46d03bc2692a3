"""jobs that may share their car with another job in the same bay; since when a job is stopped

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 10:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import board.db.types

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('shares_car', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column('stopped_at', board.db.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.drop_column('stopped_at')
        batch.drop_column('shares_car')
