"""What a person does is done as that person: an advisor's account receives customers and writes
orders as her advisor record, without the page having to say so; naming someone else is for those
whose role allows it."""

from __future__ import annotations

from tests.conftest import Shop, add_staff, person

JOB = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}


def walk_in(shop: Shop, plate: str) -> dict:
    return shop.ok("POST", "/arrivals", {"walk_in": True, "plate": plate})  # type: ignore[no-any-return]


def test_an_advisor_receives_as_herself_and_the_days_report_credits_her(shop: Shop):
    ids = add_staff(shop)
    chen, li = ids["advisors"]
    advisor = person(shop, "chenjing", "advisor", "陈静", advisor_id=chen)
    for n in range(3):
        arrival = walk_in(shop, f"粤A1000{n}")
        received = advisor.ok("POST", f"/arrivals/{arrival['id']}/received", {"version": arrival["version"]})
        assert received["received_by"] == chen
    report = shop.ok("GET", "/reports/day?day=2026-11-23")
    assert next(a for a in report["advisors"] if a["id"] == chen)["received"] == 3
    # She cannot put her work down to a colleague; an admin records for whoever did it, and must say who.
    other = walk_in(shop, "粤A20000")
    assert advisor.post(f"/arrivals/{other['id']}/received", {"version": other["version"], "advisor_id": li}).status_code == 403
    nameless = shop.post(f"/arrivals/{other['id']}/received", {"version": other["version"]})
    assert nameless.status_code == 422 and nameless.json()["error"]["fields"][0]["field"] == "advisor_id"
    assert shop.ok("POST", f"/arrivals/{other['id']}/received", {"version": other["version"], "advisor_id": li})["received_by"] == li


def test_a_walk_ins_order_written_by_an_advisor_is_hers(shop: Shop):
    ids = add_staff(shop)
    chen = ids["advisors"][0]
    advisor = person(shop, "chenjing", "advisor", "陈静", advisor_id=chen)
    body = {"plate": "粤B·7K2M9", "model": "雷凌", "customer_name": "陈芳", "phone": "13700137000", "promised_at": "2026-11-23T17:00", "jobs": [JOB]}
    order = advisor.ok("POST", "/repair-orders", body)
    assert order["advisor"]["id"] == chen
    assert shop.post("/repair-orders", body | {"plate": "粤B·7K2M8"}).status_code == 422  # an admin is nobody's advisor: he names one
