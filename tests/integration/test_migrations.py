"""The Alembic migrations build exactly the schema the models describe, on both databases, and carry the rows
of an older board through."""

from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from board.db.migrate import current_revision, head_revision, upgrade
from board.db.models import Base
from board.db.session import make_engine
from tests.conftest import fresh_pg_database


def test_migrated_database_matches_the_models(database_url):
    assert current_revision(database_url) == head_revision()
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == []


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A database with no tables yet, to migrate step by step."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    with fresh_pg_database(request.getfixturevalue("pg_url"), template=None) as url:
        yield url


OLD_ROWS = """
INSERT INTO shops (id, code, name, timezone, opens_at, closes_at, slot_minutes, receptions_per_advisor_slot, booking_share, labour_rate, version)
  VALUES (1, 'gz01', '广州店', 'Asia/Shanghai', '08:00:00', '18:00:00', 30, 2, 0.7, 180, 1);
INSERT INTO advisors (id, shop_id, name, shift_start, shift_end, present, version) VALUES (1, 1, '陈静', '08:00:00', '18:00:00', TRUE, 1);
INSERT INTO customers (id, shop_id, name, title, phone, version) VALUES (1, 1, '王伟', '先生', '13800138000', 1);
INSERT INTO vehicles (id, shop_id, plate_typed, plate, model, customer_id, version) VALUES
  (1, 1, '粤A11111', '粤A11111', 'Camry', 1, 1), (2, 1, '粤A22222', '粤A22222', 'Camry', 1, 1), (3, 1, '粤A33333', '粤A33333', 'Camry', 1, 1);
INSERT INTO technicians (id, shop_id, name, team, shift_start, shift_end, present, version) VALUES
  (1, 1, '赵强', 'mech_elec', '08:00:00', '17:30:00', TRUE, 1), (2, 1, '钱磊', 'mech_elec', '08:00:00', '17:30:00', TRUE, 1);
INSERT INTO bays (id, shop_id, name, kind, version) VALUES (1, 1, '1号举升机', 'general_lift', 1), (2, 1, '2号举升机', 'general_lift', 1);
INSERT INTO repair_orders (id, shop_id, number, vehicle_id, customer_id, advisor_id, opened_at, promised_at, customer_waiting, note,
                           delivered_by, version) VALUES
  (1, 1, 'RO-1', 1, 1, 1, '2026-12-07 01:00:00', '2026-12-07 09:00:00', FALSE, '', '', 1),
  (2, 1, 'RO-2', 2, 1, 1, '2026-12-07 01:00:00', '2026-12-07 09:00:00', FALSE, '', '', 1),
  (3, 1, 'RO-3', 3, 1, 1, '2026-12-07 01:00:00', '2026-12-07 09:00:00', FALSE, '', '', 1);
INSERT INTO jobs (id, shop_id, repair_order_id, operation, skill, level, est_hours, bay_kind, priority, stage, stop_reason, stop_note,
                  qc_failures, technician_id, bay_id, actual_start, actual_end, stopped_at, parts_status, pinned, shares_car, version) VALUES
  (1, 1, 1, '定期保养', 'maintenance', 1, 1.0, 'general_lift', 'walk_in', 'in_progress', NULL, '', 0, 1, 1, '2026-12-07 01:00:00', NULL, NULL, 'none_needed', FALSE, FALSE, 3),
  (2, 1, 2, '电路检修', 'electrical', 1, 1.5, 'general_lift', 'walk_in', 'in_progress', NULL, '', 0, 1, 2, '2026-12-07 01:30:00', NULL, NULL, 'none_needed', FALSE, FALSE, 3),
  (3, 1, 3, '更换刹车片', 'mechanical', 1, 1.0, 'general_lift', 'walk_in', 'stopped', 'parts', '', 0, 2, 1, '2026-12-07 00:30:00', NULL, '2026-12-07 00:45:00', 'ordered', FALSE, FALSE, 4),
  (4, 1, 1, '四轮定位', 'alignment', 1, 1.0, 'alignment', 'walk_in', 'quality_check', NULL, '', 0, 2, NULL, '2026-12-07 00:00:00', '2026-12-07 00:50:00', NULL, 'none_needed', FALSE, FALSE, 5);
"""


def test_upgrading_keeps_every_job_as_a_card_with_its_line_and_leaves_one_car_on_a_lift_and_one_card_in_hand(empty_database):
    """The day's data as the board before the job card kept it — a technician recorded on two jobs in
    progress, two cars recorded on one lift — comes through the upgrade whole and in order."""
    upgrade(empty_database, "0011")
    engine = make_engine(empty_database)
    with engine.begin() as conn:
        for statement in OLD_ROWS.strip().split(";\n"):
            conn.execute(text(statement))
    upgrade(empty_database)
    with engine.begin() as conn:
        lines = conn.execute(text("SELECT job_id, position, operation, est_hours, done_at IS NOT NULL FROM job_lines ORDER BY job_id")).all()
        assert [tuple(r) for r in lines] == [(1, 1, "定期保养", 1.0, False), (2, 1, "电路检修", 1.5, False), (3, 1, "更换刹车片", 1.0, False),
                                             (4, 1, "四轮定位", 1.0, True)]  # every job a card with its one line; the finished one done
        jobs = {r.id: r for r in conn.execute(text("SELECT id, stage, stop_reason, stop_note FROM jobs"))}
        assert (jobs[2].stage, jobs[1].stage, jobs[1].stop_reason) == ("in_progress", "stopped", "other")  # he keeps the one he started last
        assert "upgrade" in jobs[1].stop_note and (jobs[3].stage, jobs[4].stage) == ("stopped", "quality_check")
        bays = dict(conn.execute(text("SELECT id, bay_id FROM repair_orders")).all())
        assert bays[2] == 2  # worked on: stands on its lift
        assert sorted([bays[1], bays[3]], key=str) == [1, None]  # two cars on lift 1 before: one stays, the other waits in the waiting area
        with pytest.raises(IntegrityError):
            with conn.begin_nested():
                conn.execute(text("UPDATE repair_orders SET bay_id = 2 WHERE id = 1"))  # never two cars on one lift again
        with pytest.raises(IntegrityError):
            with conn.begin_nested():
                conn.execute(text("UPDATE jobs SET stage = 'in_progress' WHERE id = 1"))  # nor two cards in one man's hands
    engine.dispose()
