"""The advisor's day-before checklist, and the append-only event log every change writes."""

import pytest
from sqlalchemy import select

from board.db.models import Event
from board.db.session import Database
from tests.conftest import add_staff, booking, person


def test_tomorrows_bookings_have_a_checklist_the_advisor_ticks_off(shop):
    ids = add_staff(shop)
    appt = shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    shop.ok("POST", "/appointments", booking("2026-11-23", "15:00"))  # today's: not on tomorrow's list
    items = shop.ok("GET", "/preparations")
    assert [i["appointment"]["id"] for i in items] == [appt["id"]]
    assert items[0]["checked"] is False and items[0]["parts_status"]["value"] == "none_needed"
    body = {"version": items[0]["version"], "parts_status": "ordered", "parts_note": "机油滤清器", "technician_id": ids["techs"][0]}
    item = shop.ok("PATCH", f"/preparations/{appt['id']}", body)
    assert item["parts_status"]["value"] == "ordered" and item["technician_id"] == ids["techs"][0]
    chen = person(shop, "chenjing", "advisor", "陈静", advisor_id=ids["advisors"][0])
    response = chen.patch(f"/preparations/{appt['id']}", {"version": item["version"], "checked": True})
    assert response.json()["checked"] is True and response.json()["checked_by"] == "陈静 (chenjing)"
    stale = shop.patch(f"/preparations/{appt['id']}", {"version": item["version"], "parts_status": "arrived"})
    assert stale.status_code == 409
    assert shop.ok("GET", "/preparations")[0]["parts_status"]["value"] == "ordered"


def test_every_change_is_logged_with_who_when_before_and_after(shop):
    ids = add_staff(shop)
    li = person(shop, "liming", "advisor", "李明", advisor_id=ids["advisors"][1])
    appt = li.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    li.ok("PATCH", f"/appointments/{appt['id']}", {"version": appt["version"], "slot_start": "11:00"})
    events = shop.ok("GET", "/events?entity=appointment")
    assert [e["action"] for e in events] == ["booked", "rescheduled"]
    moved = events[1]
    assert moved["actor"] == "李明 (liming)" and moved["at"] == "2026-11-23T09:00:00+08:00"
    assert moved["before"]["slot_start"] == "10:00:00" and moved["after"]["slot_start"] == "11:00:00"
    after_first = shop.ok("GET", f"/events?after={events[0]['id']}&entity=appointment")
    assert [e["id"] for e in after_first] == [moved["id"]]


def test_a_refused_change_leaves_no_event(shop):
    add_staff(shop, advisors=1)
    for _ in range(2):
        shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    count = len(shop.ok("GET", "/events?limit=1000"))
    assert shop.post("/appointments", booking("2026-11-24", "10:00")).status_code == 409
    assert len(shop.ok("GET", "/events?limit=1000")) == count


def test_the_event_log_cannot_be_edited(shop, settings):
    add_staff(shop, advisors=1, mech_techs=0, body_techs=0)
    db = Database(settings.database_url)
    with pytest.raises(RuntimeError, match="append-only"):
        with db.transaction() as session:
            event = session.scalars(select(Event)).first()
            event.actor = "someone else"
    with pytest.raises(RuntimeError, match="append-only"):
        with db.transaction() as session:
            session.delete(session.scalars(select(Event)).first())
    db.dispose()
