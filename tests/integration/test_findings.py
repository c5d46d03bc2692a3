"""Extra work (追加维修) through the HTTP API and the customer's link: the technician's report with a
photo (stored clean), the advisor's price and link, the customer's yes or no without signing in,
the job line and the plan that follow, the phone, and everything the link must refuse."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from PIL import Image
from starlette.testclient import TestClient

from board.boards.specs import job_progress_board
from board.db.models import Job
from tests.conftest import Shop, add_staff, inspected, person, self_checked, wait_for

JOB = {"operation": "定期保养", "skill": "maintenance", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}
PADS = {"operation": "更换前刹车片", "skill": "maintenance", "level": 1, "est_hours": 1.5, "bay_kind": "general_lift", "parts_price": 420.0}


def camera_jpeg(width: int = 4000, height: int = 3000, orientation: int = 6) -> bytes:
    """A phone's photo: big, turned by its EXIF orientation, with GPS and the maker in it, and a comment."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Apple"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (23.0, 7.0, 30.5), 3: "E", 4: (113.0, 19.0, 12.25)})
    out = BytesIO()
    Image.new("RGB", (width, height), (180, 40, 40)).save(out, "JPEG", exif=exif, comment=b"Tianhe Rd 208", quality=90)
    return out.getvalue()


class Customer:
    """A phone that opens the link: no cookies, no CSRF secret, just the URL."""

    def __init__(self, app: Any) -> None:
        self.client = TestClient(app, follow_redirects=False)

    def open(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def choose(self, url: str, decision: str, seen: int | None = None, **kw: Any) -> Any:
        if seen is None:
            seen = int(re.search(r'name="seen" value="(\d+)"', self.open(url).text).group(1))  # type: ignore[union-attr]
        return self.client.post(url, data={"decision": decision, "seen": str(seen)}, **kw)


@pytest.fixture
def floor(shop: Shop) -> Any:
    """A shop with two mechanics at work, each on his own car; the advisor and the technicians signed in."""
    ids = add_staff(shop, advisors=2, mech_techs=2, body_techs=0, bays=False)
    shop.ok("POST", "/bays", {"name": "1号工位", "kind": "general_lift"})
    shop.ok("POST", "/bays", {"name": "2号工位", "kind": "general_lift"})
    jobs = []
    for n, (plate, name) in enumerate((("粤A·6K2M9", "陈芳"), ("粤B·31415", "刘洋"))):
        ro = shop.ok("POST", "/repair-orders", {"plate": plate, "model": "凯美瑞 Camry", "customer_name": name, "title": "女士",
                                                 "phone": f"1370013700{n}", "advisor_id": ids["advisors"][0],
                                                 "promised_at": "2026-11-23T17:00", "jobs": [JOB]})
        job = ro["jobs"][0]
        job = shop.ok("POST", "/dispatch/assign", {"job_id": job["id"], "version": job["version"], "technician_id": ids["techs"][n],
                                                   "reason": "test"})
        jobs.append(shop.ok("POST", f"/jobs/{job['id']}/clock-on", {"version": job["version"]}))
    shop.ids = ids
    shop.jobs = jobs
    shop.tech = person(shop, "zhaoqiang", "technician", "赵强", technician_id=ids["techs"][0])
    shop.advisor = person(shop, "chenjing", "advisor", "陈静", advisor_id=ids["advisors"][0])
    shop.customer = Customer(shop.client.app)
    return shop


def report(floor: Any, text: str = "前刹车片磨损至2mm,建议更换 front pads worn to 2 mm", photo: bytes | None = None, **extra: Any) -> Any:
    finding = floor.tech.ok("POST", "/findings", {"job_id": floor.jobs[0]["id"], "text": text, **extra})
    if photo is not None:
        response = floor.tech.client.post(floor.tech.url(f"/findings/{finding['id']}/photo"), content=photo,
                                          headers={"Content-Type": "image/jpeg"})
        assert response.status_code == 200, response.text
        finding = response.json()
    return finding


def priced_link(floor: Any, finding: dict[str, Any], **price: Any) -> tuple[dict[str, Any], str]:
    priced = floor.advisor.ok("POST", f"/findings/{finding['id']}/price", {"version": finding["version"], **PADS, **price})
    sent = floor.advisor.ok("POST", f"/findings/{finding['id']}/link", {"version": priced["version"]})
    return sent["finding"], sent["url"]


def jpcb(floor: Any) -> dict[str, Any]:
    with floor.client.app.state.uow.shop("gz01", "test", write=False) as ctx:
        return job_progress_board(ctx)


def test_a_reported_finding_stops_the_job_for_approval_and_keeps_a_clean_photo(floor):
    upload = camera_jpeg()
    finding = report(floor, photo=upload)
    assert (finding["status"], finding["waiting_on"], finding["photo"], finding["found_by"]) == ("reported", "advisor", True, "机电1")
    job = floor.ok("GET", f"/jobs/{floor.jobs[0]['id']}")
    assert (job["stage"]["value"], job["stop_reason"]["value"]) == ("stopped", "approval")
    assert "front pads worn" in job["stop_note"]
    assert jpcb(floor)[f"j{job['id']}"]["stopped_at"] == "2026-11-23T09:00:00+08:00"  # the wait is counted from here
    # The photo as kept: upright, at most 1600 px, no EXIF, no GPS, no comment; nothing of the upload's metadata.
    response = floor.advisor.get(f"/findings/{finding['id']}/photo")
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    kept = Image.open(BytesIO(response.content))
    assert kept.format == "JPEG" and kept.size == (1200, 1600)
    assert not kept.getexif() and not {"exif", "xmp", "comment", "icc_profile"} & set(kept.info)
    assert b"Apple" not in response.content and b"Tianhe" not in response.content and b"Exif" not in response.content
    assert len(response.content) < len(upload)
    events = floor.ok("GET", "/events?entity=finding")
    assert [(e["action"], e["actor"]) for e in events] == [("reported", "赵强 (zhaoqiang)"), ("photo", "赵强 (zhaoqiang)")]
    stop = [e for e in floor.ok("GET", "/events?entity=job") if e["action"] == "stop"][-1]
    assert stop["actor"] == "赵强 (zhaoqiang)" and stop["after"]["stop_reason"] == "approval"


def test_a_technician_who_can_carry_on_keeps_working(floor):
    report(floor, carry_on=True)
    assert floor.ok("GET", f"/jobs/{floor.jobs[0]['id']}")["stage"]["value"] == "in_progress"


def test_too_big_a_file_or_not_a_photo_is_refused_in_words(floor):
    finding = report(floor)
    url = floor.tech.url(f"/findings/{finding['id']}/photo")
    too_big = floor.tech.client.post(url, content=b"\xff" * 8_000_001, headers={"Content-Type": "image/jpeg"})
    assert too_big.status_code == 413 and "8,000,000" in too_big.json()["error"]["message"]
    text = floor.tech.client.post(url, content=b"not a photo at all", headers={"Content-Type": "image/jpeg"})
    assert text.status_code == 422 and text.json()["error"]["fields"][0]["field"] == "photo"
    bomb = BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, "PNG")  # 144 megapixels in a few kilobytes
    refused = floor.tech.client.post(url, content=bomb.getvalue(), headers={"Content-Type": "image/png"})
    assert refused.status_code == 422 and "more pixels" in refused.text
    gif = BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    assert floor.tech.client.post(url, content=gif.getvalue()).status_code == 422  # a format no phone camera sends: not even parsed
    assert floor.ok("GET", f"/findings/{finding['id']}")["photo"] is False
    # Other requests keep their 1 MB cap.
    assert floor.client.post(floor.url("/findings"), content=b"{" + b" " * 1_100_000 + b"}").status_code == 413


def test_a_technician_reports_only_on_his_own_job(floor):
    theirs = floor.tech.post("/findings", {"job_id": floor.jobs[1]["id"], "text": "雨刮老化"})
    assert theirs.status_code == 403
    other = person(floor, "qianlei", "technician", "钱磊", technician_id=floor.ids["techs"][1])
    finding = report(floor)
    photo = other.client.post(other.url(f"/findings/{finding['id']}/photo"), content=camera_jpeg(400, 300))
    assert photo.status_code == 403
    assert floor.advisor.post("/findings", {"job_id": floor.jobs[0]["id"], "text": "x"}).status_code == 403  # advisors price, not report
    assert floor.tech.post(f"/findings/{finding['id']}/price", {"version": 1, **PADS}).status_code == 403


def test_priced_linked_and_approved_by_the_customer_the_work_joins_the_order_and_the_plan(floor):
    finding = report(floor, photo=camera_jpeg(800, 600, orientation=1))
    priced, url = priced_link(floor, finding)
    assert (priced["labour_price"], priced["parts_price"], priced["total"]) == (270.0, 420.0, 690.0)  # 1.5 h × ¥180 + parts
    assert priced["waiting_on"] == "customer" and priced["link_expires_at"] == "2026-11-24T09:00:00+08:00"
    assert re.fullmatch(r"/approve/gz01/[A-Za-z0-9_-]{43}", url)
    page = floor.customer.open(url)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert "凯美瑞 Camry" in html and "粤A·6***9" in html and "陈女士" in html and "¥690.00" in html and "更换前刹车片" in html
    for private in ("6K2M9", "陈芳", "13700137000", "RO2026", "/api/"):
        assert private not in html, private
    assert "<script" not in html
    photo = floor.customer.open(url + "/photo")
    assert photo.status_code == 200 and Image.open(BytesIO(photo.content)).size == (800, 600)
    chosen = floor.customer.choose(url, "approve")
    assert chosen.status_code == 303
    done = floor.ok("GET", f"/findings/{finding['id']}")
    assert (done["status"], done["decided_via"], done["decided_by"], done["waiting_on"]) == ("approved", "link", "customer (link)", None)
    # The work goes to the man who found it, on his own card (the same kind of work), on his lift: a line of it.
    job = floor.ok("GET", f"/jobs/{done['added_job_id']}")
    assert job["id"] == floor.jobs[0]["id"] and job["repair_order_id"] == done["ro_id"]
    assert [(line["operation"], line["est_hours"], line["finding_id"]) for line in job["lines"]] == [
        ("定期保养", 1.0, None), ("更换前刹车片", 1.5, finding["id"])]
    assert job["est_hours"] == 2.5 and job["technician_id"] == floor.ids["techs"][0] and job["car_bay_id"] == floor.jobs[0]["car_bay_id"]
    assert job["stage"]["value"] == "stopped"  # it waits for its technician to resume it, the new line on it
    assert any(r["job_id"] == job["id"] for r in floor.ok("GET", "/dispatch/plan")["plan"])
    board = wait_for(lambda: (b := jpcb(floor)) and f"p{job['id']}" in b and b["p" + str(job["id"])]["end"] > "2026-11-23T11:" and b)
    assert board, "the approved work never appeared in the live plan"  # the planning loop planned it, its hours longer by the pads
    assert board[f"f{finding['id']}"]["status"] == "approved" and board[f"j{job['id']}"]["lines"][1]["operation"] == "更换前刹车片"
    log = [(e["action"], e["actor"]) for e in floor.ok("GET", "/events?entity=finding")]
    assert log == [("reported", "赵强 (zhaoqiang)"), ("photo", "赵强 (zhaoqiang)"), ("priced", "陈静 (chenjing)"), ("link_sent", "陈静 (chenjing)"), ("approved", "customer (link)")]
    assert [(e["action"], e["actor"]) for e in floor.ok("GET", "/events?entity=job") if e["entity_id"] == job["id"]][-1] == ("line_added", "customer (link)")
    assert "token" not in str(floor.ok("GET", "/events?entity=finding")).replace("token_expires_at", "")
    # Used: the page says so, the photo is gone from it, a second tap adds nothing.
    again = floor.customer.open(url)
    assert again.status_code == 410 and "已收到您的答复" in again.text and "同意维修" in again.text
    # A customer's page speaks Chinese alone (no English between the lines), English by its switch.
    assert "We have your answer" not in again.text and 'id="lang-switch"' in again.text
    english = floor.customer.open(url + "?lang=en")
    assert "We have your answer" in english.text and "已收到您的答复" not in english.text
    assert floor.customer.open(url + "/photo").status_code == 404
    assert floor.customer.choose(url, "decline", seen=done["version"]).status_code == 303
    assert floor.ok("GET", f"/findings/{finding['id']}")["status"] == "approved"
    assert len(floor.ok("GET", f"/repair-orders/{done['ro_id']}")["jobs"]) == 1  # one car, one card


def test_extra_work_of_another_kind_is_a_card_of_its_own_for_the_man_who_found_it_if_he_can_else_for_the_plan(floor):
    """Wiring found during a service: a card of its own, dispatched to the finder (he holds electrical 1),
    on the car's lift after his card; a level he lacks goes to the plan, which finds one who holds it."""
    for level, finder_can in ((1, True), (2, False)):
        finding = report(floor, text=f"大灯线路老化 {level}")
        priced = floor.advisor.ok("POST", f"/findings/{finding['id']}/price", {
            "version": finding["version"], "operation": "检修大灯线路", "skill": "electrical", "level": level, "est_hours": 0.5,
            "bay_kind": "general_lift", "parts_price": 0})
        done = floor.advisor.ok("POST", f"/findings/{finding['id']}/decision", {"version": priced["version"], "decision": "approve"})
        card = floor.ok("GET", f"/jobs/{done['added_job_id']}")
        assert card["id"] != floor.jobs[0]["id"] and [line["operation"] for line in card["lines"]] == ["检修大灯线路"]
        if finder_can:
            assert (card["stage"]["value"], card["technician_id"]) == ("dispatched", floor.ids["techs"][0])
        else:
            assert (card["stage"]["value"], card["technician_id"]) == ("waiting_dispatch", None)
            slot = next(r for r in floor.ok("GET", "/dispatch/plan")["plan"] if r["job_id"] == card["id"])
            assert slot["technician_id"] == floor.ids["techs"][1]  # 机电2 holds electrical 2
        with floor.client.app.state.uow.shop("gz01", "test", write=False) as ctx:
            assert (ctx.session.get(Job, card["id"]).finding_id, ctx.session.get(Job, card["id"]).labour_price) == (finding["id"], 90.0)


def test_the_technicians_card_names_declined_work_and_a_new_energy_cars_high_voltage(floor):
    finding = report(floor, carry_on=True)
    _, url = priced_link(floor, finding)
    assert floor.customer.choose(url, "decline").status_code == 303
    card = floor.tech.ok("GET", f"/jobs/{floor.jobs[0]['id']}/card")
    assert [(d["finding_id"], d["operation"]) for d in card["declined"]] == [(finding["id"], "更换前刹车片")]
    assert card["new_energy"] is False and card["plate"] == "粤A·6K2M9"
    # Another man's card is not his to read; a green plate warns of high voltage.
    assert floor.tech.client.get(floor.tech.url(f"/jobs/{floor.jobs[1]['id']}/card")).status_code == 403
    ev = floor.ok("POST", "/repair-orders", {"plate": "粤AD12345", "model": "bZ4X", "customer_name": "王", "phone": "13700137009",
                                             "advisor_id": floor.ids["advisors"][0], "promised_at": "2026-11-23T17:00", "jobs": [JOB]})
    assert floor.ok("GET", f"/jobs/{ev['jobs'][0]['id']}/card")["new_energy"] is True


def test_declined_work_is_kept_for_the_follow_up_and_the_cars_history(floor):
    finding = report(floor)
    _priced, url = priced_link(floor, finding)
    assert floor.customer.choose(url, "decline").status_code == 303
    declined = floor.ok("GET", f"/findings/{finding['id']}")
    assert (declined["status"], declined["added_job_id"], declined["decided_by"]) == ("declined", None, "customer (link)")
    assert len(floor.ok("GET", f"/repair-orders/{declined['ro_id']}")["jobs"]) == 1
    assert [f["id"] for f in floor.advisor.ok("GET", "/findings?status=declined")] == [finding["id"]]
    assert [f["id"] for f in floor.advisor.ok("GET", f"/findings?advisor_id={floor.ids['advisors'][0]}&status=declined")] == [finding["id"]]
    assert floor.advisor.ok("GET", f"/findings?advisor_id={floor.ids['advisors'][1]}") == []
    history = floor.tech.ok("GET", "/findings?plate=粤A6K2M9")  # typed as people type it: the car's history
    assert [(f["id"], f["status"], f["parts_price"]) for f in history] == [(finding["id"], "declined", 420.0)]
    assert floor.ok("GET", "/findings?plate=粤B31415") == []
    assert floor.customer.open(url).status_code == 410
    # The customer calls back: the advisor records his yes on the phone while the car is here.
    again = floor.advisor.ok("POST", f"/findings/{finding['id']}/decision", {"version": declined["version"], "decision": "approve",
                                                                               "note": "客户回电同意"})
    assert (again["status"], again["decided_via"], again["decided_by"]) == ("approved", "phone", "陈静 (chenjing)") and again["added_job_id"]
    last = floor.ok("GET", "/events?entity=finding")[-1]
    assert (last["action"], last["actor"], last["reason"]) == ("approved", "陈静 (chenjing)", "客户回电同意")


def test_the_advisor_records_a_phone_approval(floor):
    finding = report(floor)
    early = floor.advisor.post(f"/findings/{finding['id']}/decision", {"version": finding["version"], "decision": "approve"})
    assert early.status_code == 409 and "Price the work first" in early.text
    priced = floor.advisor.ok("POST", f"/findings/{finding['id']}/price", {"version": finding["version"], **PADS})
    stale = floor.advisor.post(f"/findings/{finding['id']}/decision", {"version": finding["version"], "decision": "approve"})
    assert stale.status_code == 409
    approved = floor.advisor.ok("POST", f"/findings/{finding['id']}/decision", {"version": priced["version"], "decision": "approve"})
    assert (approved["status"], approved["decided_via"], approved["decided_by"]) == ("approved", "phone", "陈静 (chenjing)")
    assert floor.ok("GET", f"/jobs/{approved['added_job_id']}")["lines"][-1]["operation"] == "更换前刹车片"
    assert floor.advisor.post(f"/findings/{finding['id']}/decision", {"version": approved["version"], "decision": "decline"}).status_code == 409


def test_an_expired_link_is_refused_and_a_new_one_can_be_sent(floor, clock):
    finding = report(floor)
    priced, url = priced_link(floor, finding)
    seen = priced["version"]
    clock.advance(timedelta(hours=24))
    page = floor.customer.open(url)
    assert page.status_code == 410 and "已过期" in page.text and "<form" not in page.text
    floor.customer.choose(url, "approve", seen=seen)
    assert floor.ok("GET", f"/findings/{finding['id']}")["status"] == "priced"
    sent = floor.advisor.ok("POST", f"/findings/{finding['id']}/link", {"version": seen})
    assert sent["url"] != url and floor.customer.open(sent["url"]).status_code == 200
    assert floor.customer.open(url).status_code == 404  # the old one names nothing any more


def test_the_link_shows_one_customer_one_shop_and_nothing_else(floor):
    mine = report(floor, photo=camera_jpeg(400, 300, orientation=1))
    _priced, url = priced_link(floor, mine)
    token = url.rsplit("/", 1)[1]
    # The other car's customer and plate are nowhere on the page.
    html = floor.customer.open(url).text
    assert "刘洋" not in html and "31415" not in html and "刘女士" not in html
    # Another shop: the same token names nothing there; a made-up token names nothing here.
    assert floor.client.post("/api/shops", json={"code": "sz02", "name": "深圳店"}).status_code == 201
    for wrong in (f"/approve/sz02/{token}", f"/approve/sz02/{token}/photo", f"/approve/nosuchshop/{token}",
                  f"/approve/gz01/{token[:-1]}{'B' if token.endswith('A') else 'A'}", "/approve/gz01/" + "A" * 43, "/approve/gz01/1", "/approve/GZ01/" + token):
        answer = floor.customer.open(wrong)
        assert answer.status_code == 404, wrong
        assert "凯美瑞" not in answer.text
    refused = floor.customer.client.post(f"/approve/sz02/{token}", data={"decision": "approve", "seen": "3"})
    assert refused.status_code == 303 and floor.ok("GET", f"/findings/{mine['id']}")["status"] == "priced"
    # Staff routes stay closed to the link's holder: no session, no API.
    assert floor.customer.open(f"/api/shops/gz01/findings/{mine['id']}/photo").status_code == 401
    assert floor.customer.open("/api/shops/gz01/findings").status_code == 401


def test_a_foreign_page_or_a_changed_price_cannot_decide(floor):
    finding = report(floor)
    priced, url = priced_link(floor, finding)
    foreign = floor.customer.choose(url, "approve", seen=priced["version"], headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    stale = floor.customer.choose(url, "approve", seen=priced["version"] - 1)
    assert stale.status_code == 409 and "内容已更新" in stale.text and 'name="seen"' in stale.text
    assert floor.ok("GET", f"/findings/{finding['id']}")["status"] == "priced"
    # Re-pricing kills the link that carried the old price.
    floor.advisor.ok("POST", f"/findings/{finding['id']}/price", {"version": priced["version"], **PADS, "parts_price": 380.0})
    assert floor.customer.open(url).status_code == 404
    assert floor.customer.choose(url, "approve", seen=priced["version"] + 1).status_code == 303
    assert floor.ok("GET", f"/findings/{finding['id']}")["status"] == "priced"


def test_the_boards_say_who_waits_on_whom(floor, clock):
    finding = report(floor)
    card = jpcb(floor)[f"f{finding['id']}"]
    assert (card["waiting_on"], card["advisor"], card["since"], card["job_id"]) == ("advisor", "顾问1", "2026-11-23T09:00:00+08:00", floor.jobs[0]["id"])
    clock.advance(timedelta(minutes=7))
    priced_link(floor, finding)
    card = jpcb(floor)[f"f{finding['id']}"]
    assert (card["waiting_on"], card["since"], card["status"]) == ("customer", "2026-11-23T09:07:00+08:00", "priced")
    assert card["link_expires_at"] == "2026-11-24T09:07:00+08:00" and card["total"] == 690.0
    with floor.client.app.state.uow.shop("gz01", "test", write=False) as ctx:
        public = job_progress_board(ctx, public=True)
    assert not [k for k in public if k.startswith("f")]  # kiosk screens carry no findings


def test_nothing_is_decided_for_a_car_already_handed_over(floor):
    finding = report(floor, carry_on=True)
    _priced, url = priced_link(floor, finding)
    job = floor.ok("GET", f"/jobs/{floor.jobs[0]['id']}")
    job = self_checked(floor, job)
    job = inspected(floor, job)
    floor.ok("POST", f"/repair-orders/{job['repair_order_id']}/wash-done", {"versions": {str(job["id"]): job["version"]}})
    order = floor.ok("GET", f"/repair-orders/{job['repair_order_id']}")
    floor.ok("POST", f"/repair-orders/{job['repair_order_id']}/hand-over", {"version": order["version"]})
    page = floor.customer.open(url)
    assert page.status_code == 410 and "已失效" in page.text
    current = floor.ok("GET", f"/findings/{finding['id']}")
    late = floor.advisor.post(f"/findings/{finding['id']}/decision", {"version": current["version"], "decision": "approve"})
    assert late.status_code == 409 and "handed over" in late.text
    declined = floor.advisor.ok("POST", f"/findings/{finding['id']}/decision", {"version": current["version"], "decision": "decline"})
    assert declined["status"] == "declined"  # what he said on the phone is still worth keeping for the next visit
