"""the service process on screens

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 12:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import board.db.types

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', board.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photos_shop_id'), ['shop_id'], unique=False)

    op.create_table('service_menus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('service_type', sa.Enum('quick', 'maintenance', 'repair', 'body_paint', name='servicetype', native_enum=False, length=24), nullable=False),
    sa.Column('interval_km', sa.Integer(), nullable=True),
    sa.Column('interval_months', sa.Integer(), nullable=True),
    sa.Column('jobs', sa.JSON(), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('shop_id', 'code')
    )
    with op.batch_alter_table('service_menus', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_menus_shop_id'), ['shop_id'], unique=False)

    op.create_table('receptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('repair_order_id', sa.Integer(), nullable=False),
    sa.Column('mileage_km', sa.Integer(), nullable=True),
    sa.Column('fuel_eighths', sa.Integer(), nullable=True),
    sa.Column('marks', sa.JSON(), nullable=False),
    sa.Column('valuables', sa.Text(), nullable=False),
    sa.Column('customer_words', sa.Text(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('signed_at', board.db.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], ),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('repair_order_id')
    )
    with op.batch_alter_table('receptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptions_shop_id'), ['shop_id'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('repair_order_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('found_by', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('operation', sa.String(length=120), nullable=False),
    sa.Column('skill', sa.Enum('maintenance', 'mechanical', 'electrical', 'alignment', 'body', 'paint', name='skill', native_enum=False, length=24), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('est_hours', sa.Float(), nullable=False),
    sa.Column('bay_kind', sa.Enum('general_lift', 'quick_service', 'alignment', 'body', 'paint_booth', 'wash', name='baykind', native_enum=False, length=24), nullable=True),
    sa.Column('labour_price', sa.Float(), nullable=False),
    sa.Column('parts_price', sa.Float(), nullable=False),
    sa.Column('status', sa.Enum('reported', 'priced', 'approved', 'declined', name='findingstatus', native_enum=False, length=24), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_expires_at', board.db.types.UTCDateTime(), nullable=True),
    sa.Column('decided_at', board.db.types.UTCDateTime(), nullable=True),
    sa.Column('decided_via', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=60), nullable=False),
    sa.Column('added_job_id', sa.Integer(), nullable=True),
    sa.Column('created_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_job_id'], ['jobs.id'], ),
    sa.ForeignKeyConstraint(['found_by'], ['technicians.id'], ),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], ),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], ),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_repair_order_id'), ['repair_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_shop_id'), ['shop_id'], unique=False)

    op.create_table('part_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('part_no', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('qty', sa.Float(), nullable=False),
    sa.Column('unit_price', sa.Float(), nullable=False),
    sa.Column('status', sa.Enum('needed', 'picked', 'ordered', 'arrived', name='partlinestatus', native_enum=False, length=24), nullable=False),
    sa.Column('expected_at', board.db.types.UTCDateTime(), nullable=True),
    sa.Column('updated_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], ),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('part_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_part_lines_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_part_lines_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_part_lines_shop_id'), ['shop_id'], unique=False)

    op.create_table('qc_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('checked_by', sa.String(length=60), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', board.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('qc_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qc_checks_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qc_checks_shop_id'), ['shop_id'], unique=False)

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('menu_code', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('labour_price', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('self_checked_at', board.db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('finding_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_jobs_finding_id', 'findings', ['finding_id'], ['id'])

    with op.batch_alter_table('repair_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('estimate_labour', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('estimate_parts', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('signed_at', board.db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('final_amount', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', board.db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('delivered_by', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('next_service_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('next_service_km', sa.Integer(), nullable=True))

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('labour_rate', sa.Float(), server_default='180', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('labour_rate')

    with op.batch_alter_table('repair_orders', schema=None) as batch_op:
        batch_op.drop_column('next_service_km')
        batch_op.drop_column('next_service_date')
        batch_op.drop_column('delivered_by')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('final_amount')
        batch_op.drop_column('signed_at')
        batch_op.drop_column('estimate_parts')
        batch_op.drop_column('estimate_labour')

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_jobs_finding_id', type_='foreignkey')
        batch_op.drop_column('finding_id')
        batch_op.drop_column('self_checked_at')
        batch_op.drop_column('labour_price')
        batch_op.drop_column('menu_code')

    with op.batch_alter_table('qc_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qc_checks_shop_id'))
        batch_op.drop_index(batch_op.f('ix_qc_checks_job_id'))

    op.drop_table('qc_checks')
    with op.batch_alter_table('part_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_part_lines_shop_id'))
        batch_op.drop_index(batch_op.f('ix_part_lines_job_id'))
        batch_op.drop_index(batch_op.f('ix_part_lines_appointment_id'))

    op.drop_table('part_lines')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_shop_id'))
        batch_op.drop_index(batch_op.f('ix_findings_repair_order_id'))

    op.drop_table('findings')
    with op.batch_alter_table('receptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptions_shop_id'))

    op.drop_table('receptions')
    with op.batch_alter_table('service_menus', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_menus_shop_id'))

    op.drop_table('service_menus')
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_shop_id'))

    op.drop_table('photos')
