"""The KPIs on a generated month whose figures are known by construction: each day's bookings,
no-shows, cancellations, walk-ins, reception waits, deliveries (one after midnight), QC failures,
a stop for parts, comebacks and overrides are chosen by rule, and each KPI is checked against the
rule, not against a second implementation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from board.reports import kpis, present, standards
from board.reports.model import Arrival, Booking, Day, Fact, JobLine, Ledger, Order, Person
from board.reports.standards import FollowUp, Verdict

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
    # Labour sold: the estimated hours on the orders handed over (each car's first line is 1.5 h).
    first_lines_handed = 1 - gone_tonight + left_late_yesterday
    assert s.labour_hours_sold == pytest.approx(s.delivered_orders + 0.5 * first_lines_handed)
    assert s.sales_amount is None  # orders carry no amounts: no figure, not 0
    assert (s.so_far, s.as_of) == (False, None)
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
    assert s.technicians[0].shift_hours == 2.5  # 08:00 to 10:30: the part of his shift gone by
    assert s.technicians[1].shift_hours == SHIFT * 0  # not present today
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


# -- the day not over yet ----------------------------------------------------------------------


def a_day_of(clocks: tuple[Fact, ...], present_: frozenset[int]) -> Ledger:
    return Ledger(clocks, jobs=(JobLine(1, 1, 2.0), JobLine(2, 2, 1.0)), technicians=TECHS, present=present_)


def test_mid_day_utilisation_divides_by_the_shift_hours_gone_by_not_the_whole_days():
    d = FIRST
    clocks = (Fact(at(d, 9), "job", 1, "start", {"technician_id": 1, "stage": "in_progress"}),
              Fact(at(d, 11), "job", 1, "finish", {"technician_id": 1, "stage": "quality_check"}))
    ledger = a_day_of(clocks, frozenset({1, 2}))
    day = Day(d, at(d, 0), at(d + timedelta(days=1), 0), at(d, 10, 35))
    s = kpis.summarise(ledger, day)
    gone_by = 2 + 35 / 60  # each present technician's shift began at 08:00
    assert (s.so_far, s.as_of) == (True, "10:35")
    assert s.clocked_hours == pytest.approx(1 + 35 / 60, abs=0.01)
    assert s.shift_hours == pytest.approx(2 * gone_by, abs=0.01) and s.shift_hours_full == 2 * SHIFT
    assert s.utilisation == pytest.approx((1 + 35 / 60) / (2 * gone_by), abs=1e-3)  # about 31 %, not 8 % of 19 h
    assert s.technicians[0].utilisation == pytest.approx((1 + 35 / 60) / gone_by, abs=1e-3)


def test_a_past_day_keeps_the_whole_days_shift():
    d = FIRST
    clocks = (Fact(at(d, 9), "job", 1, "start", {"technician_id": 1, "stage": "in_progress"}),
              Fact(at(d, 11), "job", 1, "finish", {"technician_id": 1, "stage": "quality_check"}))
    s = kpis.summarise(a_day_of(clocks, frozenset()), Day(d, at(d, 0), at(d + timedelta(days=1), 0), at(d + timedelta(days=1), 8)))
    assert (s.so_far, s.as_of) == (False, None)
    assert (s.clocked_hours, s.shift_hours, s.shift_hours_full) == (2.0, SHIFT, SHIFT)  # he clocked on: a whole shift
    assert s.utilisation == pytest.approx(2.0 / SHIFT, abs=1e-3)


def test_a_shift_not_begun_yet_counts_no_hours_so_far():
    d = FIRST
    late = Person(4, "李军", 6.0, timedelta(hours=12))  # 12:00 to 18:00
    ledger = Ledger((), technicians=(TECHS[0], late), present=frozenset({1, 4}))
    s = kpis.summarise(ledger, Day(d, at(d, 0), at(d + timedelta(days=1), 0), at(d, 10)))
    assert [t.shift_hours for t in s.technicians] == [2.0, 0.0] and s.shift_hours_full == SHIFT + 6.0
    assert s.technicians[1].utilisation is None  # no hours on shift yet: nothing to divide by


def test_the_amount_sold_waits_for_every_order_handed_over_to_carry_one():
    d = FIRST
    lines = (JobLine(1, 10, 1.5), JobLine(2, 11, 2.0))
    left = (Fact(at(d, 15), "job", 1, "deliver", {"stage": "delivered"}), Fact(at(d, 16), "job", 2, "deliver", {"stage": "delivered"}))
    day = Day(d, at(d, 0), at(d + timedelta(days=1), 0), at(d + timedelta(days=1), 9))

    def orders(first: float | None, second: float | None) -> tuple[Order, ...]:
        return (Order(10, at(d, 8), at(d, 17), 1, False, first), Order(11, at(d, 8), at(d, 17), 1, False, second))

    assert kpis.summarise(Ledger(left, orders=orders(800.0, 1200.5), jobs=lines), day).sales_amount == 2000.5
    partly = kpis.summarise(Ledger(left, orders=orders(800.0, None), jobs=lines), day)
    assert partly.sales_amount is None and partly.labour_hours_sold == 3.5  # hours are known; the amount is not


# -- the standards ------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("on_time_delivery", 0.125, Verdict.BAD),  # 1 of 8 orders on time: must look bad
    ("on_time_delivery", 0.95, Verdict.GOOD),
    ("on_time_delivery", 0.90, Verdict.ATTENTION),
    ("on_time_delivery", 0.85, Verdict.ATTENTION),  # 10 points under: still attention
    ("on_time_delivery", 0.84, Verdict.BAD),
    ("no_show_rate", 0.10, Verdict.GOOD),  # a maximum: at it is good
    ("no_show_rate", 0.15, Verdict.ATTENTION),  # half as much again over it
    ("no_show_rate", 0.16, Verdict.BAD),
    ("rework_rate", 0.03, Verdict.ATTENTION),
    ("rework_rate", 0.05, Verdict.BAD),
    ("complaint_rate", 0.0, Verdict.GOOD),
    ("efficiency", 1.2, Verdict.GOOD),
    ("utilisation", 0.31, Verdict.BAD),
    ("appointment_rate", None, None),  # nothing to count: no verdict, no colour
])
def test_a_figure_against_the_dealers_default_standard(key, value, expected):
    assert standards.verdict(key, value, standards.DEFAULTS[key]) is expected


def test_the_defaults_are_a_toyota_type_dealers_standards():
    assert standards.DEFAULTS == {"appointment_rate": 0.60, "no_show_rate": 0.10, "within_5_min": 0.90, "on_time_delivery": 0.95,
                                  "first_time_right": 0.95, "rework_rate": 0.02, "utilisation": 0.80, "efficiency": 1.00,
                                  "complaint_rate": 0.01}


def test_a_shops_own_target_moves_the_verdict_and_every_standard_kpi_gets_one():
    s = summary(FIRST + timedelta(days=1))  # day 1: 10 of 11 orders on time (90.9 %)
    by_default = standards.verdicts(s.as_dict(), standards.DEFAULTS)
    assert set(by_default) == set(standards.DEFAULTS) - {"complaint_rate"}  # complaints come from the calls, not the day
    assert by_default["on_time_delivery"] is Verdict.ATTENTION
    own = standards.DEFAULTS | {"on_time_delivery": 0.90}
    assert standards.verdicts(s.as_dict(), own)["on_time_delivery"] is Verdict.GOOD


def test_every_tile_says_what_its_counts_count_and_its_standard():
    s = summary(FIRST + timedelta(days=1))
    tiles = {t.key: t for t in present.tiles(s, standards.DEFAULTS)}
    on_time = tiles["on_time_delivery"]
    assert (on_time.counts, on_time.unit, on_time.standard, on_time.verdict) == ("10/11", "unit.orders", "≥ 95\u00a0%", Verdict.ATTENTION)
    units = (tiles["appointment_rate"].unit, tiles["first_time_right"].unit, tiles["utilisation"].unit)
    assert units == ("unit.cars", "unit.checks", "unit.hours")
    assert tiles["mean_wait_s"].verdict is None and tiles["mean_wait_s"].standard is None  # no standard for it
    assert all(t.unit.startswith("unit.") for t in tiles.values())
    complaint = present.complaint_tile(1, 8, 0.125, 0.01)
    assert (complaint.verdict, complaint.standard, complaint.unit) == (Verdict.BAD, "≤ 1\u00a0%", "unit.customers")


# -- the follow-up call ------------------------------------------------------------------------


@pytest.mark.parametrize(("days_after", "expected"), [
    (0, FollowUp.NOT_YET),  # handed over today: called from tomorrow
    (1, FollowUp.DUE),  # the day after
    (2, FollowUp.DUE),
    (3, FollowUp.DUE),  # the third day: still within the standard
    (4, FollowUp.OVERDUE),
    (10, FollowUp.OVERDUE),  # a week more on the list while not reached
    (11, FollowUp.GONE),
])
def test_the_follow_up_call_is_due_from_the_day_after_until_the_third_day(days_after, expected):
    handed = date(2026, 11, 23)
    assert standards.follow_up(handed, handed + timedelta(days=days_after)) is expected


def test_the_follow_up_window_is_the_days_whose_cars_are_due_or_overdue():
    today = date(2026, 11, 26)
    first, last = standards.follow_up_window(today)
    assert (first, last) == (date(2026, 11, 16), date(2026, 11, 25))
    window = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    assert all(standards.follow_up(handed, today) in (FollowUp.DUE, FollowUp.OVERDUE) for handed in window)
    assert standards.call_by(date(2026, 11, 23)) == date(2026, 11, 26)
