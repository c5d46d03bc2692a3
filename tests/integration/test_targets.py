"""The shop's KPI targets through the API, on SQLite and PostgreSQL: the dealer's defaults on a new
shop, an admin's change with the version he read, nobody else's; the summary and the follow-up
list are held against them; shops older than migration 0009 get the defaults (shown on SQLite)."""

from datetime import timedelta

from sqlalchemy import text

from board.db.migrate import upgrade
from board.db.session import make_engine
from tests.conftest import add_staff, person

DEFAULTS = {"appointment_rate": 0.6, "no_show_rate": 0.1, "within_5_min": 0.9, "on_time_delivery": 0.95, "first_time_right": 0.95,
            "rework_rate": 0.02, "utilisation": 0.8, "efficiency": 1.0, "complaint_rate": 0.01}


def test_a_new_shop_starts_with_the_dealers_standards(shop):
    got = shop.ok("GET", "/targets")
    assert got["version"] == 1
    assert {k: v["target"] for k, v in got["targets"].items()} == DEFAULTS
    assert got["targets"]["no_show_rate"]["direction"] == "at_most" and got["targets"]["on_time_delivery"]["direction"] == "at_least"


def test_an_admin_changes_them_with_the_version_he_read(shop):
    first = shop.ok("GET", "/targets")
    changed = shop.ok("PATCH", "/targets", {"version": first["version"], "on_time_delivery": 0.9, "complaint_rate": 0.02})
    assert changed["version"] == first["version"] + 1
    assert changed["targets"]["on_time_delivery"]["target"] == 0.9 and changed["targets"]["utilisation"]["target"] == 0.8
    stale = shop.patch("/targets", json={"version": first["version"], "utilisation": 0.7})
    assert stale.status_code == 409 and shop.ok("GET", "/targets")["targets"]["utilisation"]["target"] == 0.8
    for bad in ({"on_time_delivery": 1.5}, {"on_time_delivery": None}, {"efficiency": 0}, {"csi": 0.9}):
        answer = shop.patch("/targets", json={"version": changed["version"], **bad})
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.json()["error"]["fields"][0]["field"].endswith(next(iter(bad)))
    events = shop.ok("GET", "/events?entity=kpi_targets")
    assert [(e["action"], e["before"]["on_time_delivery"], e["after"]["on_time_delivery"]) for e in events] == [("updated", 0.95, 0.9)]
    assert shop.ok("GET", "/follow-ups")["standard"] == 0.02  # the complaint rate is held against the shop's own


def test_only_an_admin_reads_or_changes_them(shop):
    ids = add_staff(shop, advisors=1, mech_techs=1, body_techs=0)
    others = [person(shop, "chenjing", "advisor", advisor_id=ids["advisors"][0]), person(shop, "wanggang", "foreman"),
              person(shop, "zhaoqiang", "technician", technician_id=ids["techs"][0])]
    for other in others:
        assert other.get("/targets").status_code == 403
        assert other.patch("/targets", json={"version": 1, "on_time_delivery": 0.5}).status_code == 403
    boss = person(shop, "boss", "admin", shop="gz01")  # the shop's own admin
    assert boss.ok("PATCH", "/targets", {"version": 1, "rework_rate": 0.03})["targets"]["rework_rate"]["target"] == 0.03


def test_the_summary_page_holds_the_day_against_the_shops_targets(shop, clock):
    add_staff(shop, advisors=1, mech_techs=2, body_techs=0)
    clock.advance(timedelta(hours=1, minutes=35))  # 10:35
    page = shop.client.get("/shops/gz01/summary")
    assert page.status_code == 200 and "so far, at 10:35" in page.text
    assert 'data-kpi="utilisation"' in page.text and "whole day&#39;s shift" in page.text
    # Nothing clocked yet: utilisation 0 % of the hours gone by is bad against 80 %; a shop that asks 0 % meets it.
    assert 'data-kpi="utilisation" data-verdict="bad"' in page.text
    version = shop.ok("GET", "/targets")["version"]
    shop.ok("PATCH", "/targets", {"version": version, "utilisation": 0.0})
    assert 'data-kpi="utilisation" data-verdict="good"' in shop.client.get("/shops/gz01/summary").text


def test_shops_made_before_the_targets_get_the_defaults(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0008")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO shops (code, name, timezone, opens_at, closes_at, slot_minutes, receptions_per_advisor_slot,"
                          " booking_share, version) VALUES ('old', '老店', 'Asia/Shanghai', '08:00:00', '18:00:00', 30, 2, 0.7, 1)"))
    upgrade(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT on_time_delivery, complaint_rate, version FROM kpi_targets")).one()
    engine.dispose()
    assert tuple(row) == (0.95, 0.01, 1)
