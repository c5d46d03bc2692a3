"""Bad input gets a clear 4xx naming the field; unknown ids 404; stale edits 409 and lose nothing."""

import pytest

from tests.conftest import add_staff, booking


@pytest.mark.parametrize(("change", "field", "says"), [
    ({"day": "24/11/2026"}, "day", "date"),
    ({"slot_start": "10:07"}, "slot_start", "not a booking slot"),
    ({"service_type": "teleport"}, "service_type", "maintenance"),
    ({"phone": "call me"}, "phone", "pattern"),
    ({"plate": "·"}, "plate", "2 to 12 characters"),
    ({"colour": "red"}, "colour", "not a field"),
    ({"day": "2026-11-20"}, "day", "in the past"),
    ({"advisor_id": 999}, "advisor_id", "no advisor"),
])
def test_bad_booking_fields_are_named_with_the_reason(shop, change, field, says):
    add_staff(shop)
    response = shop.post("/appointments", booking("2026-11-24", "10:00") | change)
    assert response.status_code == 422
    problems = response.json()["error"]["fields"]
    assert [p["field"] for p in problems] == [field]
    assert says in problems[0]["reason"]
    assert shop.ok("GET", "/appointments?day=2026-11-24") == []


def test_a_missing_field_is_named(shop):
    body = booking("2026-11-24", "10:00")
    del body["customer_name"]
    response = shop.post("/appointments", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "customer_name", "reason": "is required"}]


def test_a_body_that_is_not_json_is_refused(shop):
    response = shop.client.post(shop.url("/appointments"), content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "body", "reason": "is not valid JSON"}]


def test_a_bad_query_parameter_is_named(shop):
    response = shop.get("/slots?day=tomorrow&service_type=quick")
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "day"


@pytest.mark.parametrize("path", ["/appointments/999", "/jobs/999", "/repair-orders/999"])
def test_unknown_ids_are_404(shop, path):
    response = shop.get(path)
    assert response.status_code == 404
    assert "999" in response.json()["error"]["message"]


def test_unknown_shop_is_404(app_client):
    response = app_client.get("/api/shops/nowhere/appointments")
    assert response.status_code == 404 and "nowhere" in response.json()["error"]["message"]


def test_records_of_another_shop_are_not_visible(shop, app_client):
    add_staff(shop)
    appt = shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    assert app_client.post("/api/shops", json={"code": "fs02", "name": "佛山店"}).status_code == 201
    assert app_client.get(f"/api/shops/fs02/appointments/{appt['id']}").status_code == 404


def test_an_edit_based_on_a_stale_version_is_refused_and_loses_nothing(shop):
    add_staff(shop)
    appt = shop.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    # Two advisors open the same booking; the first moves it, the second adds a note.
    first = shop.patch(f"/appointments/{appt['id']}", {"version": appt["version"], "slot_start": "11:00"})
    assert first.status_code == 200
    second = shop.patch(f"/appointments/{appt['id']}", {"version": appt["version"], "note": "客户要洗车"})
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "stale_version" and error["current"]["version"] == appt["version"] + 1
    now = shop.ok("GET", f"/appointments/{appt['id']}")
    assert now["slot_start"] == "11:00" and now["note"] == ""


def test_technician_edits_are_versioned_too(shop):
    ids = add_staff(shop, advisors=1, mech_techs=1, body_techs=0)
    tech = shop.ok("GET", "/technicians")[0]
    skills = [{"skill": "electrical", "level": 3}]
    changed = shop.ok("PATCH", f"/technicians/{ids['techs'][0]}", {"version": tech["version"], "skills": skills})
    assert changed["version"] == tech["version"] + 1 and [s["level"] for s in changed["skills"]] == [3]
    stale = shop.patch(f"/technicians/{ids['techs'][0]}", {"version": tech["version"], "present": False})
    assert stale.status_code == 409
    assert shop.ok("GET", "/technicians")[0]["present"] is True


def test_a_shift_that_ends_before_it_starts_is_refused(shop):
    response = shop.post("/advisors", {"name": "夜班", "shift_start": "18:00", "shift_end": "08:00"})
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "shift_end"


def test_unknown_address_and_wrong_method_answer_in_json(app_client):
    assert app_client.get("/api/nothing-here").status_code == 404
    response = app_client.delete("/api/shops")
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


def test_openapi_document_lists_every_route(app_client):
    doc = app_client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert "/api/shops/{shop}/jobs/{job_id}/transitions" in doc["paths"]
    body = doc["paths"]["/api/shops/{shop}/appointments"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/BookingIn"
    assert "slot_start" in doc["components"]["schemas"]["BookingIn"]["properties"]
