"""/api/openapi.json says what every route answers, and the answers a shop's day gets through the
API fit what it says (checked by a JSON Schema validator against the document itself)."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import TypeAdapter

from board.api.registry import ENDPOINTS
from tests.conftest import Shop, add_staff, booking

try:
    import jsonschema_rs  # schemathesis brings it
except ImportError:  # pragma: no cover
    jsonschema_rs = None

MAINT = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}
CSV_HEADER = "date,time,plate,model,customer_name,title,phone,service_type,advisor,source,booked_at\n"
TYRES = {"operation": "换轮胎", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "general_lift"}


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {node["$ref"]} if isinstance(node.get("$ref"), str) else set().union(*map(refs, node.values()))
    if isinstance(node, list):
        return set().union(*map(refs, node))
    return set()


def test_every_operation_documents_its_success_answer(app_client):
    doc = app_client.get("/api/openapi.json").json()
    operations = [(path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 60
    for path, method, op in operations:
        [(status, ok)] = [(s, r) for s, r in op["responses"].items() if s.startswith("2")]
        where = f"{method.upper()} {path}"
        if status == "204":
            assert "content" not in ok, where
            continue
        [(media, content)] = ok["content"].items()
        if media == "text/csv":
            assert content["schema"] == {"type": "string"}, where
        elif media == "image/jpeg":  # a finding's photo
            assert content["schema"] == {"type": "string", "format": "binary"}, where
        else:
            assert media == "application/json" and content["schema"], where
    schemas = doc["components"]["schemas"]
    assert {ref.removeprefix("#/components/schemas/") for ref in refs(doc)} <= set(schemas)
    assert all(s.get("properties") or s.get("additionalProperties") or s.get("enum") for s in schemas.values())


class Documented(Shop):
    """A shop client that checks every 2xx JSON answer against the document's schema for it."""

    def __init__(self, shop: Shop) -> None:
        super().__init__(shop.client, shop.code)
        self.doc = shop.client.get("/api/openapi.json").json()
        self.checked: set[str] = set()

    def ok(self, method: str, path: str, json: Any = None, status: int | None = None) -> Any:
        return self.call(method, self.url(path), json)

    def call(self, method: str, url: str, json: Any = None, **kw: Any) -> Any:
        response = self.client.request(method, url, json=json, **kw)
        assert 200 <= response.status_code < 300, response.text
        op = self.operation(method, url)
        assert self.errors(op, response.status_code, response.json()) == [], f"{method} {url}"
        self.checked.add(op["operationId"])
        return response.json()

    def operation(self, method: str, url: str) -> dict[str, Any]:
        path = url.split("?")[0]
        # The most literal template first: /appointments/import before /appointments/{appt_id}.
        for template in sorted(self.doc["paths"], key=lambda t: t.count("{")):
            pattern = "^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern, path) and method.lower() in self.doc["paths"][template]:
                return self.doc["paths"][template][method.lower()]
        raise AssertionError(f"{method} {path} is not in the document")

    def errors(self, op: dict[str, Any], status: int, answer: Any) -> list[str]:
        responses = op["responses"]
        schema = responses.get(str(status), responses.get("2XX"))["content"]["application/json"]["schema"]
        if jsonschema_rs is None:  # the same types, checked by pydantic instead
            [tp] = [e.response for e in ENDPOINTS if e.handler.__name__ == op["operationId"]]
            try:
                TypeAdapter(tp).validate_json(json.dumps(answer), strict=True)
            except ValueError as exc:
                return [str(exc)]
            return []
        validator = jsonschema_rs.Draft202012Validator({**schema, "components": self.doc["components"]})
        return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(answer)]


def test_real_answers_fit_their_documented_schemas(shop: Shop):
    s = Documented(shop)
    got = s.ok("GET", "")
    assert s.errors(s.operation("GET", s.url("")), 200, {**got, "version": "1"})  # the check is not vacuous
    assert s.errors(s.operation("GET", s.url("")), 200, {k: v for k, v in got.items() if k != "code"})
    s.call("GET", "/api/shops")
    ids = add_staff(s, advisors=1, mech_techs=2, body_techs=0, bays=False)
    s.ok("POST", "/bays", {"name": "1号举升机", "kind": "general_lift"})
    s.ok("GET", "/slots?day=2026-11-24&service_type=maintenance")
    today = s.ok("POST", "/appointments", booking("2026-11-23", "09:30", plate="粤A12345", advisor_id=ids["advisors"][0]))
    assert "phone" in today["customer"] and today["state"]["value"]
    tomorrow = s.ok("POST", "/appointments", booking("2026-11-24", "10:00"))
    s.ok("GET", f"/appointments/{today['id']}")
    s.ok("GET", "/appointments?day=2026-11-24")
    csv = CSV_HEADER + "2026-11-25,9:00,粤A54321,凯美瑞,李娜,女士,13900139000,repair,顾问1,online,\n"
    imported = s.call("POST", s.url("/appointments/import"), content=csv.encode(), headers={"content-type": "text/csv"})
    s.ok("POST", f"/appointments/{imported['ids'][0]}/cancel", {"version": 1, "reason": "客户改期"})
    s.ok("POST", "/rollover")
    board = s.ok("GET", "/appointment-board")
    assert any(column["cards"] for column in board["columns"])
    assert len(s.ok("GET", "/welcome")) == 2  # its _meta and today's booking
    s.ok("POST", "/preparations/plan")
    s.ok("PATCH", f"/preparations/{tomorrow['id']}", {"version": s.ok("GET", "/preparations")[0]["version"], "parts_note": "机油"})
    assert s.ok("POST", "/arrivals/match", {"plate": "粤A12345"})["accepted"] == today["id"]
    arrival = s.ok("POST", "/arrivals", {"appointment_id": today["id"]})
    s.ok("POST", f"/arrivals/{arrival['id']}/received", {"version": arrival["version"], "advisor_id": ids["advisors"][0]})
    s.ok("GET", "/arrivals")
    order = s.ok("POST", "/repair-orders", {"appointment_id": today["id"], "promised_at": "2026-11-23T15:00",
                                            "jobs": [MAINT, {**TYRES, "separate": True}]})  # the advisor splits the tyres off on purpose
    assert len(order["jobs"]) == 2
    s.ok("GET", f"/repair-orders/{order['id']}")
    s.ok("GET", "/repair-orders")
    added = s.ok("POST", f"/repair-orders/{order['id']}/jobs", MAINT)
    s.ok("GET", f"/jobs/{added['id']}")
    plan = s.ok("GET", "/dispatch/plan")
    assert plan["plan"]
    jobs = s.ok("GET", "/jobs")
    accepted = s.ok("POST", "/dispatch/accept", {"versions": {str(j["id"]): j["version"] for j in jobs}})["assigned"]
    started = s.ok("POST", f"/jobs/{accepted[0]['id']}/clock-on", {"version": accepted[0]["version"]})
    s.ok("POST", f"/jobs/{started['id']}/clock-off", {"version": started["version"], "reason": "parts"})
    camera = s.ok("POST", "/cameras", {"name": "入口摄像头"})
    read = {"camera_id": camera["id"], "plate": "粤B88888", "confidence": 0.5, "time": "2026-11-23T09:01:00+08:00", "idempotency_key": "k1"}
    s.call("POST", "/api/camera/reads", read, headers={"authorization": f"Bearer {camera['token']}"})
    assert s.ok("GET", "/camera/suggestions")
    s.ok("POST", f"/cameras/{camera['id']}/revoke")
    token = s.ok("POST", "/tokens", {"board": "welcome", "name": "休息区"})
    s.ok("POST", f"/tokens/{token['id']}/revoke")
    s.ok("GET", "/tokens")
    s.ok("GET", "/users")
    s.ok("GET", "/events?limit=1000")
    report = s.ok("GET", "/reports/day")
    assert report["technicians"] and report["advisors"]
    s.ok("GET", "/reports/trend?days=2")
    s.ok("GET", "/follow-ups")
    assert len(s.checked) >= 40, sorted(s.checked)
