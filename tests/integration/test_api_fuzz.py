"""Bad input everywhere: schemathesis generates requests from /api/openapi.json — valid and not —
for every operation, against a running shop with staff; none may answer with a 5xx."""

from __future__ import annotations

from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings

from board.app import create_app
from board.clock import FixedClock
from board.db.migrate import upgrade
from board.settings import Settings
from tests.conftest import add_admin, admin_headers, shop_time
from tests.servers import serve_in_thread

EXAMPLES = 60  # per operation: about 3,000 requests in all, bounded


def test_no_input_makes_the_server_fail(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'board.db'}"
    upgrade(url)
    add_admin(url)
    app = create_app(Settings(database_url=url, scheduler_interval_s=3600), FixedClock(shop_time("2026-11-23 09:00")))
    with serve_in_thread(app) as host:
        base = f"http://{host}"
        signed_in = admin_headers(base)  # as the admin: every route is reached, none refused at the door
        assert httpx.post(f"{base}/api/shops", json={"code": "gz01", "name": "广州店"}, headers=signed_in).status_code == 201
        httpx.post(f"{base}/api/shops/gz01/advisors", json={"name": "陈静"}, headers=signed_in)
        httpx.post(f"{base}/api/shops/gz01/technicians", json={"name": "赵强", "team": "mech_elec", "skills": [{"skill": "maintenance", "level": 2}]},
                   headers=signed_in)
        httpx.post(f"{base}/api/shops/gz01/bays", json={"name": "1号", "kind": "general_lift"}, headers=signed_in)
        schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
        failures: list[str] = []
        operations = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def probe(case) -> None:
                if case.path_parameters and "shop" in case.path_parameters:
                    case.path_parameters["shop"] = "gz01"  # the one shop: past the 404, into the handlers
                response = case.call(base_url=base, timeout=10, headers=signed_in)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} {case.body!r} -> {response.status_code} {response.text[:200]}")

            probe()
        assert operations >= 40, operations
        assert failures == [], "\n".join(failures[:10])
