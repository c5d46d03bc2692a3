"""follow-up calls

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import board.db.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('repair_order_id', sa.Integer(), nullable=False),
    sa.Column('called_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('called_by', sa.String(length=60), nullable=False),
    sa.Column('outcome', sa.Enum('satisfied', 'unreachable', 'complaint', name='calloutcome', native_enum=False, length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('resolved_at', board.db.types.UTCDateTime(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], ),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('repair_order_id')
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_shop_id'), ['shop_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_shop_id'))
    op.drop_table('follow_ups')
