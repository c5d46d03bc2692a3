"""The demo's simulator shares the shop with the people at the consoles: what a person did first
(received the customer, wrote the order) it takes as it is, and goes on."""

from __future__ import annotations

from board.demo.simulator import Simulator
from tests.conftest import Shop, add_staff, booking

JOB = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}


def test_the_simulator_goes_on_when_a_person_wrote_the_order_first(shop: Shop, clock):
    ids = add_staff(shop)
    appt = shop.ok("POST", "/appointments", booking("2026-11-23", "09:00", advisor_id=ids["advisors"][0]))
    arrival = shop.ok("POST", "/arrivals", {"appointment_id": appt["id"]})
    order = shop.ok("POST", "/repair-orders", {"appointment_id": appt["id"], "promised_at": "2026-11-23T17:00", "advisor_id": ids["advisors"][0],
                                                "jobs": [JOB]})
    sim = Simulator(shop.client.app.state.uow, clock, "gz01")
    for _ in range(20):  # long enough for the simulator to come to this car's reception and order
        sim.step(1)
    orders = [o for o in shop.ok("GET", "/repair-orders") if o["appointment_id"] == appt["id"]]
    assert [o["id"] for o in orders] == [order["id"]]
    assert next(a for a in shop.ok("GET", "/arrivals") if a["id"] == arrival["id"])["received_at"] is not None
