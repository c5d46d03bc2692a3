"""one car, one job card, one bay: operations as lines of a card, the bay a car stands in, one card in
progress per technician, the menu booked, the advisor's alerts of promises the plan will miss

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 16:00:00

Existing rows are kept: every job becomes a card with one line (its operation, hours, done when the
job was finished); a car stands in the bay of its job in progress (or stopped) — where two cars were
recorded on one bay, the one being worked keeps it and the other is in the waiting area (待修区);
a technician recorded on two jobs in progress keeps the one he started last, the other is stopped.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from alembic import op

import board.db.types

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

FINISHED = ('quality_check', 'wash', 'ready', 'delivered')


def upgrade() -> None:
    op.create_table('job_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('operation', sa.String(length=120), nullable=False),
    sa.Column('est_hours', sa.Float(), nullable=False),
    sa.Column('check', sa.String(length=30), server_default='', nullable=False),
    sa.Column('done_at', board.db.types.UTCDateTime(), nullable=True),
    sa.Column('done_by', sa.String(length=60), server_default='', nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], ),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('job_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_lines_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_lines_shop_id'), ['shop_id'], unique=False)

    op.create_table('promise_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('repair_order_id', sa.Integer(), nullable=False),
    sa.Column('advisor_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('promised_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('expected_at', board.db.types.UTCDateTime(), nullable=False),
    sa.Column('late_minutes', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('answered_at', board.db.types.UTCDateTime(), nullable=True),
    sa.Column('answered_by', sa.String(length=60), server_default='', nullable=False),
    sa.Column('answer', sa.String(length=20), server_default='', nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['advisor_id'], ['advisors.id'], ),
    sa.ForeignKeyConstraint(['repair_order_id'], ['repair_orders.id'], ),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('promise_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promise_alerts_repair_order_id'), ['repair_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promise_alerts_shop_id'), ['shop_id'], unique=False)

    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('menu_code', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('customer_waiting', sa.Boolean(), server_default=sa.false(), nullable=False))

    # Added in place: a batch copy of the table would drop it, which SQLite refuses while other rows refer to it.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE repair_orders ADD COLUMN bay_id INTEGER REFERENCES bays (id)')
    else:
        op.add_column('repair_orders', sa.Column('bay_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_repair_orders_bay_id', 'repair_orders', 'bays', ['bay_id'], ['id'])

    _move_the_rows()

    with op.batch_alter_table('repair_orders', schema=None) as batch_op:
        batch_op.create_index('ux_repair_orders_bay_id', ['bay_id'], unique=True)
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ux_jobs_one_in_progress', ['technician_id'], unique=True,
                              sqlite_where=sa.text("stage = 'in_progress'"), postgresql_where=sa.text("stage = 'in_progress'"))


def _move_the_rows() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    jobs = sa.Table('jobs', meta, autoload_with=bind)
    lines = sa.Table('job_lines', meta, autoload_with=bind)
    orders = sa.Table('repair_orders', meta, autoload_with=bind)
    rows: list[Any] = list(bind.execute(sa.select(jobs.c.id, jobs.c.shop_id, jobs.c.repair_order_id, jobs.c.operation, jobs.c.est_hours,
                                       jobs.c.stage, jobs.c.actual_start, jobs.c.actual_end, jobs.c.technician_id, jobs.c.bay_id,
                                       jobs.c.stopped_at).order_by(jobs.c.id)))
    if not rows:
        return
    bind.execute(lines.insert(), [
        {"shop_id": r.shop_id, "job_id": r.id, "position": 1, "operation": r.operation, "est_hours": r.est_hours, "check": "",
         "done_at": r.actual_end if r.stage in FINISHED else None, "done_by": ""}
        for r in rows])
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    # One card in progress per technician: the one he started last stays, the others are stopped.
    by_tech: dict[int, list[Any]] = {}
    for r in rows:
        if r.stage == 'in_progress' and r.technician_id is not None:
            by_tech.setdefault(r.technician_id, []).append(r)
    stopped = set()
    for mine in by_tech.values():
        mine.sort(key=lambda r: (r.actual_start or datetime.min, r.id))
        for r in mine[:-1]:
            bind.execute(jobs.update().where(jobs.c.id == r.id).values(
                stage='stopped', stop_reason='other', stopped_at=now, version=jobs.c.version + 1,
                stop_note='同时只能进行一项作业(升级时中断) one card at a time: stopped by the upgrade'))
            stopped.add(r.id)
    # A car stands in the bay of its card in progress, else of its card stopped; one car a bay.
    taken: set[int] = set()
    def first_claim(r: Any) -> tuple[bool, float, int]:  # worked on now, then stopped most lately
        when = r.stopped_at or r.actual_start
        return (r.stage != 'in_progress' or r.id in stopped, -when.timestamp() if when else 0.0, r.id)

    claims = sorted((r for r in rows if r.stage in ('in_progress', 'stopped') and r.bay_id is not None), key=first_claim)
    placed: set[int] = set()
    for r in claims:
        if r.repair_order_id in placed or r.bay_id in taken:
            continue  # the car is placed already, or another car has the bay: it waits in the waiting area
        bind.execute(orders.update().where(orders.c.id == r.repair_order_id).values(bay_id=r.bay_id))
        placed.add(r.repair_order_id)
        taken.add(r.bay_id)


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ux_jobs_one_in_progress')
    with op.batch_alter_table('repair_orders', schema=None) as batch_op:
        batch_op.drop_index('ux_repair_orders_bay_id')
        batch_op.drop_constraint('fk_repair_orders_bay_id', type_='foreignkey')
        batch_op.drop_column('bay_id')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_column('customer_waiting')
        batch_op.drop_column('menu_code')
    with op.batch_alter_table('promise_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promise_alerts_shop_id'))
        batch_op.drop_index(batch_op.f('ix_promise_alerts_repair_order_id'))
    op.drop_table('promise_alerts')
    with op.batch_alter_table('job_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_lines_shop_id'))
        batch_op.drop_index(batch_op.f('ix_job_lines_job_id'))
    op.drop_table('job_lines')
