"""the shop's KPI targets (standards), one row per shop, the dealer's defaults for existing shops

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# The defaults as they stood when this migration was written (board/reports/standards.py may move on).
DEFAULTS = {
    'appointment_rate': 0.60, 'no_show_rate': 0.10, 'within_5_min': 0.90, 'on_time_delivery': 0.95, 'first_time_right': 0.95,
    'rework_rate': 0.02, 'utilisation': 0.80, 'efficiency': 1.00, 'complaint_rate': 0.01,
}


def upgrade() -> None:
    targets = op.create_table('kpi_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    *[sa.Column(name, sa.Float(), nullable=False) for name in DEFAULTS],
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('shop_id')
    )
    shops = sa.table('shops', sa.column('id', sa.Integer()))
    rows = [{'shop_id': shop_id, **DEFAULTS, 'version': 1} for (shop_id,) in op.get_bind().execute(sa.select(shops.c.id))]
    if rows:
        op.bulk_insert(targets, rows)


def downgrade() -> None:
    op.drop_table('kpi_targets')
