"""Alembic environment: the URL comes from the caller (``board db upgrade``), never a file."""

from __future__ import annotations

from alembic import context

from board.db.models import Base
from board.db.session import make_engine

config = context.config
url = str(config.attributes.get("url") or config.get_main_option("sqlalchemy.url"))
engine = make_engine(url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
