"""The KPIs on a generated month whose figures are known by construction: each day's bookings,
no-shows, cancellations, walk-ins, reception waits, deliveries (one after midnight), QC failures,
a stop for parts, comebacks and overrides are chosen by rule, and each KPI is checked against the
rule, not against a second implementation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from board.reports import kpis
from board.reports.model import Arrival, Booking, Day, Fact, JobLine, Ledger, Order, Person

ZONE = ZoneInfo("Asia/Shanghai")
FIRST = date(2026, 10, 1)
SHIFT = 9.5
EIGHT = timedelta(hours=8)
TECHS = (Person(1, "赵强", SHIFT, EIGHT), Person(2, "钱磊", SHIFT, EIGHT), Person(3, "孙浩", SHIFT, EIGHT))
ADVISORS = (Person(1, "陈静"), Person(2, "李明"))
AFTER_MIDNIGHT_DAY = 10  # that day's first car leaves at 00:30 the next morning, late


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(hours=hh, minutes=mm)


@dataclass
class Month:
    facts: list[Fact] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    arrivals: list[Arrival] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    jobs: list[JobLine] = field(default_factory=list)
    expected: dict[date, dict[str, object]] = field(default_factory=dict)

    def job(self, day_: date, job_id: int, action: str, when: datetime, tech: int, stage: str) -> None:
        self.facts.append(Fact(when, "job", job_id, action, {"technician_id": tech, "stage": stage}))

    def ledger(self) -> Ledger:
        return Ledger(tuple(self.facts), tuple(self.bookings), tuple(self.arrivals), tuple(self.orders), tuple(self.jobs), ADVISORS, TECHS)


def build_month() -> Month:
    m = Month()
    ids = iter(range(1, 100_000))
    for n in range(30):
        d = FIRST + timedelta(days=n)
        booked = 10 + n % 3
        cancelled = 1 if n % 5 == 0 else 0
        no_shows = n % 4
        walk_ins = n % 3
        for k in range(booked + cancelled):
            status = "cancelled" if k >= booked else "no_show" if k < no_shows else "arrived"
            m.bookings.append(Booking(next(ids), d, status, k % 2 + 1))
        shown = [b for b in m.bookings if b.day == d and b.status == "arrived"]
        arrivals = len(shown) + walk_ins
        fast = arrivals - n % 2 - 1  # received within 4 minutes; the others wait 7
        for k in range(arrivals):
            came = at(d, 8, 5 * k)
            wait = 240 if k < fast else 420
            m.arrivals.append(Arrival(next(ids), shown[k].id if k < len(shown) else None, came, came + timedelta(seconds=wait), k % 2 + 1))
        if n % 7 == 0:  # a wrong confirmation, taken back: counts nowhere
            m.arrivals.append(Arrival(next(ids), None, at(d, 9), None, None, undone=True))
        late_first = n % 4 == 1
        fail = n % 3 == 0
        for j in range(arrivals):  # one order with one job line per car
            order, job = next(ids), next(ids)
            tech = j % 3 + 1
            m.orders.append(Order(order, at(d, 8, 5 * j), at(d, 17), j % 2 + 1, rework=(j == 0 and n % 6 == 0)))
            m.jobs.append(JobLine(job, order, 1.5 if j == 0 else 1.0))
            start = at(d, 8) + timedelta(minutes=90 * (j // 3))
            m.job(d, job, "dispatch", start - timedelta(minutes=30), tech, "dispatched")
            if j == 0 and n % 5 == 1:
                m.job(d, job, "override", start - timedelta(minutes=30), tech, "dispatched")
            m.job(d, job, "start", start, tech, "in_progress")
            done = start + timedelta(minutes=60)
            if j == 2:  # stopped for parts for twenty minutes: not clocked meanwhile
                m.job(d, job, "stop", start + timedelta(minutes=20), tech, "stopped")
                m.job(d, job, "resume", start + timedelta(minutes=40), tech, "in_progress")
                done = start + timedelta(minutes=80)
            m.job(d, job, "finish", done, tech, "quality_check")
            if j == 1 and fail:  # back to the technician for ten more minutes
                m.job(d, job, "qc_fail", done + timedelta(minutes=10), tech, "in_progress")
                m.job(d, job, "finish", done + timedelta(minutes=20), tech, "quality_check")
                done += timedelta(minutes=20)
            m.job(d, job, "qc_pass", done + timedelta(minutes=10), tech, "wash")
            m.job(d, job, "wash_done", done + timedelta(minutes=20), tech, "ready")
            leaves = at(d, 17, 30) if (j == 0 and late_first) else at(d, 16)
            if j == 0 and n == AFTER_MIDNIGHT_DAY:
                leaves = at(d + timedelta(days=1), 0, 30)
            m.job(d, job, "deliver", leaves, tech, "delivered")
        m.expected[d] = {
            "arrivals": arrivals, "walk_ins": walk_ins, "bookings": booked, "no_shows": no_shows, "cancelled": cancelled,
            "fast": fast, "late_first": late_first, "fail": fail, "orders": arrivals,
        }
    return m


MONTH = build_month()


def summary(d: date, now: datetime | None = None) -> kpis.Summary:
    return kpis.summarise(MONTH.ledger(), Day(d, at(d, 0), at(d + timedelta(days=1), 0), now or at(FIRST + timedelta(days=40), 0)))


@pytest.mark.parametrize("n", range(30))
def test_every_kpi_of_every_day_of_the_month(n):
    d = FIRST + timedelta(days=n)
    e = MONTH.expected[d]
    s = summary(d)
    arrivals = e["arrivals"]
    assert (s.arrivals, s.walk_ins, s.booked_arrivals) == (arrivals, e["walk_ins"], arrivals - e["walk_ins"])
    assert s.appointment_rate == pytest.approx((arrivals - e["walk_ins"]) / arrivals, abs=1e-4)
    assert (s.bookings, s.no_shows, s.cancelled) == (e["bookings"], e["no_shows"], e["cancelled"])
    assert s.no_show_rate == pytest.approx(e["no_shows"] / e["bookings"], abs=1e-4)
    assert s.received == arrivals
    assert s.within_5_min == pytest.approx(e["fast"] / arrivals, abs=1e-4)
    assert s.mean_wait_s == pytest.approx((e["fast"] * 240 + (arrivals - e["fast"]) * 420) / arrivals, abs=0.1)
    # Deliveries: every car leaves the same day, except day 10's first, which leaves after midnight.
    left_late_yesterday = 1 if n == AFTER_MIDNIGHT_DAY + 1 else 0
    gone_tonight = 1 if n == AFTER_MIDNIGHT_DAY else 0
    late = (1 if e["late_first"] and not gone_tonight else 0) + left_late_yesterday
    assert s.delivered_orders == e["orders"] - gone_tonight + left_late_yesterday
    assert s.on_time_orders == s.delivered_orders - late
    assert s.on_time_delivery == pytest.approx(s.on_time_orders / s.delivered_orders, abs=1e-4)
    fails = 1 if e["fail"] else 0
    assert (s.qc_passes, s.qc_failures) == (e["orders"], fails)
    assert s.first_time_right == pytest.approx(e["orders"] / (e["orders"] + fails), abs=1e-4)
    assert (s.orders_opened, s.comebacks) == (e["orders"], 1 if n % 6 == 0 else 0)
    # Clocked: an hour per job (the parts stop not counted), ten minutes more after a failed check.
    assert s.clocked_hours == pytest.approx(e["orders"] + fails / 6, abs=0.01)
    assert s.shift_hours == pytest.approx(3 * SHIFT)
    assert s.utilisation == pytest.approx((e["orders"] + fails / 6) / (3 * SHIFT), abs=1e-3)
    assert s.finished_est_hours == pytest.approx(e["orders"] + 0.5)
    assert s.efficiency == pytest.approx((e["orders"] + 0.5) / (e["orders"] + fails / 6), abs=1e-3)
    assert (s.dispatches, s.overrides) == (e["orders"], 1 if n % 5 == 1 else 0)
    expected_stages = {"delivered": e["orders"] - gone_tonight + left_late_yesterday} | ({"ready": 1} if gone_tonight else {})
    assert s.stages_at_close == expected_stages


def test_per_advisor_and_per_technician_figures_add_up():
    d = FIRST + timedelta(days=4)
    s = summary(d)
    assert sum(a.received for a in s.advisors) == s.received
    assert sum(a.delivered for a in s.advisors) == s.delivered_orders
    assert sum(t.clocked_hours for t in s.technicians) == pytest.approx(s.clocked_hours)
    assert [t.finished_jobs for t in s.technicians] == [len(range(k, s.orders_opened, 3)) for k in range(3)]
    first_tech = s.technicians[0]  # he does job 0 (1.5 h estimated) and every third after it
    assert first_tech.efficiency == pytest.approx((first_tech.finished_jobs + 0.5) / first_tech.clocked_hours, abs=1e-3)


def test_a_rate_with_nothing_to_count_is_none_not_zero():
    s = kpis.summarise(Ledger(()), Day(FIRST, at(FIRST, 0), at(FIRST + timedelta(days=1), 0), at(FIRST, 12)))
    assert s.appointment_rate is None and s.on_time_delivery is None and s.utilisation is None and s.no_show_rate is None


def test_a_clock_still_running_counts_up_to_now_on_the_day_itself():
    d = FIRST
    facts = (Fact(at(d, 9), "job", 1, "start", {"technician_id": 1, "stage": "in_progress"}),)
    ledger = Ledger(facts, jobs=(JobLine(1, 1, 2.0),), technicians=TECHS, present=frozenset({1}))
    s = kpis.summarise(ledger, Day(d, at(d, 0), at(d + timedelta(days=1), 0), at(d, 10, 30)))
    assert s.technicians[0].clocked_hours == pytest.approx(1.5)
    assert s.technicians[0].shift_hours == SHIFT and s.technicians[1].shift_hours == SHIFT * 0  # not present today
    assert s.stages_at_close == {"in_progress": 1}


def test_a_job_left_running_overnight_counts_only_within_the_shift():
    d = FIRST
    facts = (Fact(at(d, 16), "job", 1, "start", {"technician_id": 1, "stage": "in_progress"}),
             Fact(at(d + timedelta(days=1), 9), "job", 1, "finish", {"technician_id": 1, "stage": "quality_check"}))
    ledger = Ledger(facts, jobs=(JobLine(1, 1, 2.0),), technicians=TECHS)
    first = kpis.summarise(ledger, Day(d, at(d, 0), at(d + timedelta(days=1), 0), at(d + timedelta(days=5), 0)))
    second = kpis.summarise(ledger, Day(d + timedelta(days=1), at(d + timedelta(days=1), 0), at(d + timedelta(days=2), 0), at(d + timedelta(days=5), 0)))
    assert first.technicians[0].clocked_hours == pytest.approx(1.5)  # 16:00 to the shift's end at 17:30
    assert second.technicians[0].clocked_hours == pytest.approx(1.0)  # 08:00 to 09:00
    assert second.technicians[0].efficiency == pytest.approx(2.0)  # two estimated hours finished in one clocked


def test_csv_has_one_figure_per_row():
    rows = kpis.csv_rows(summary(FIRST))
    assert all(len(r) == len(kpis.CSV_FIELDS) for r in rows)
    assert ("2026-10-01", "shop", "", "", "arrivals", MONTH.expected[FIRST]["arrivals"]) in rows
    assert any(r[1] == "technician" and r[3] == "赵强" and r[4] == "utilisation" for r in rows)


def test_an_order_leaves_when_its_last_line_is_delivered():
    d = FIRST
    lines = [(7, 1), (7, 2), (8, 3)]
    assert kpis.handed_over({1: at(d, 15)}, lines) == {}
    assert kpis.handed_over({1: at(d, 15), 2: at(d, 16), 3: at(d, 9)}, lines) == {7: at(d, 16), 8: at(d, 9)}


def test_efficiency_over_a_few_clocked_seconds_is_no_figure_for_the_technician_or_the_shop():
    d = FIRST
    started = at(d, 9)
    facts = (Fact(started, "job", 1, "start", {"technician_id": 1, "stage": "in_progress"}),
             Fact(started + timedelta(seconds=7), "job", 1, "finish", {"technician_id": 1, "stage": "quality_check"}),
             Fact(at(d, 10), "job", 2, "start", {"technician_id": 2, "stage": "in_progress"}),
             Fact(at(d, 11), "job", 2, "finish", {"technician_id": 2, "stage": "quality_check"}))
    ledger = Ledger(facts, jobs=(JobLine(1, 1, 1.5), JobLine(2, 2, 1.0)), technicians=TECHS)
    s = kpis.summarise(ledger, Day(d, at(d, 0), at(d + timedelta(days=1), 0), at(d + timedelta(days=5), 0)))
    quick, steady = s.technicians[0], s.technicians[1]
    assert quick.finished_jobs == 1 and quick.efficiency is None  # 7 s clocked: nothing to judge him by
    assert steady.efficiency == pytest.approx(1.0)
    assert s.efficiency == pytest.approx(2.5 / (1.0 + 7 / 3600), abs=1e-3)  # the shop has an hour to stand on

    alone = Ledger(facts[:2], jobs=(JobLine(1, 1, 1.5),), technicians=TECHS)
    assert kpis.summarise(alone, Day(d, at(d, 0), at(d + timedelta(days=1), 0), at(d + timedelta(days=5), 0))).efficiency is None
