"""kiosk tokens say whether their screen masks plates: a workshop TV where only staff see it shows
full plates; one customers can see through a window is issued masked

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 22:00:00

Tokens issued before this showed masked plates, and keep doing so: nobody's screen shows more than
it did when it was hung.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('display_tokens') as batch:
        batch.add_column(sa.Column('masked', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('display_tokens') as batch:
        batch.drop_column('masked')
