"""the shop's current plan, made by the planning loop for every screen

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 14:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import board.db.types

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shop_plans',
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('made_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('based_on', sa.BigInteger(), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('shop_id')
    )


def downgrade() -> None:
    op.drop_table('shop_plans')
