"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from board.db.migrate import current_revision, head_revision
from board.db.models import Base
from board.db.session import make_engine


def test_migrated_database_matches_the_models(database_url):
    assert current_revision(database_url) == head_revision()
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == []
