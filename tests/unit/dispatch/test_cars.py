"""A car is in one place at a time: the planner waits for it, two technicians may share it in one
bay when both jobs allow it, started jobs hold it, and the edge's check says where it is."""

from datetime import datetime, timedelta

from board.dispatch.cars import clock_on_conflict, conflict
from board.dispatch.model import BayIn, JobIn, TechIn
from board.dispatch.planner import plan, replan

NOW = datetime(2026, 11, 24, 15, 46)
BAYS = [BayIn(1, "1号举升机", "general_lift"), BayIn(2, "2号举升机", "general_lift"), BayIn(3, "快保工位", "quick_service")]
TECHS = [TechIn(1, "李军", {"electrical": 3}, NOW.replace(hour=8), NOW.replace(hour=19)),
         TechIn(2, "周斌", {"maintenance": 2}, NOW.replace(hour=8), NOW.replace(hour=19))]


def electrical(car=7, **extra):
    return JobIn(1, "RO-7 电器", "waiting", "electrical", 2, 1.0, "general_lift", NOW + timedelta(hours=3), car=car, **extra)


def maintenance(car=7, bay="quick_service", hours=0.5, **extra):
    return JobIn(2, "RO-7 保养", "waiting", "maintenance", 1, hours, bay, NOW + timedelta(hours=3), car=car, **extra)


def at(hh_mm):
    return NOW.replace(hour=int(hh_mm[:2]), minute=int(hh_mm[3:]))


def test_the_issue_case_one_car_is_not_in_the_lift_and_the_quick_service_bay_at_once():
    p = plan([electrical(), maintenance()], TECHS, BAYS, NOW)
    first, second = sorted(p.slots, key=lambda s: s.start)
    assert first.end <= second.start
    where = next(b.name for b in BAYS if b.id == first.bay_id)
    assert any(r.en == f"car in {where} until {first.end:%H:%M}" and r.zh == f"车辆在{where},至{first.end:%H:%M}" for r in second.reasons)


def test_different_cars_go_at_the_same_time():
    p = plan([electrical(car=7), maintenance(car=8)], TECHS, BAYS, NOW)
    assert p.slot(1).start == p.slot(2).start == NOW


def test_two_technicians_share_one_car_in_one_bay_when_both_jobs_allow_it():
    both = plan([electrical(shares_car=True), maintenance(bay="general_lift", shares_car=True)], TECHS, BAYS, NOW)
    assert both.slot(1).start == both.slot(2).start == NOW and both.slot(1).bay_id == both.slot(2).bay_id
    one = plan([electrical(shares_car=True), maintenance(bay="general_lift")], TECHS, BAYS, NOW)
    assert one.slot(1).end <= one.slot(2).start or one.slot(2).end <= one.slot(1).start


def test_sharing_the_car_never_puts_it_in_two_bays():
    p = plan([electrical(shares_car=True), maintenance(shares_car=True)], TECHS, BAYS, NOW)  # a lift and the quick-service bay
    assert p.slot(1).end <= p.slot(2).start or p.slot(2).end <= p.slot(1).start


def test_a_started_job_holds_its_car_in_its_bay_until_its_planned_end():
    started = electrical(started_tech=1, started_bay=1, remaining=0.5)
    p = plan([started, maintenance()], TECHS, BAYS, NOW)
    assert p.slot(2).start == p.slot(1).end == at("16:16")
    assert any(r.en == "car in 1号举升机 until 16:16" for r in p.slot(2).reasons)


def test_a_replan_after_an_overrun_keeps_the_car_in_one_place():
    started = electrical(started_tech=1, started_bay=1, remaining=0.5)
    first = plan([started, maintenance()], TECHS, BAYS, NOW)
    second, _ = replan(first, [electrical(started_tech=1, started_bay=1, remaining=1.5), maintenance()], TECHS, BAYS, NOW)
    assert second.slot(2).start == second.slot(1).end == at("17:16")


def test_the_edge_check_says_where_the_car_is_and_until_when():
    jobs = [electrical(), maintenance()]
    p = plan(jobs, TECHS, BAYS, NOW)
    lift = p.slot(1) if p.slot(1).bay_id == 1 else p.slot(2)
    other = next(j for j in jobs if j.id != lift.job_id)
    refused = conflict(other, 3, lift.start, lift.start + timedelta(minutes=30), p, jobs, BAYS)
    assert refused is not None and refused.slot.job_id == lift.job_id and refused.until == lift.end
    assert refused.reason.en == f"car in 1号举升机 until {lift.end:%H:%M}"
    assert conflict(other, 3, lift.end, lift.end + timedelta(minutes=30), p, jobs, BAYS) is None
    assert conflict(other, 3, lift.start, lift.end, p, jobs, BAYS, ignore={lift.job_id}) is None


def test_the_edge_check_lets_two_sharing_jobs_into_the_same_bay_only():
    jobs = [electrical(shares_car=True), maintenance(bay="general_lift", shares_car=True)]
    p = plan(jobs, TECHS, BAYS, NOW)
    bay = p.slot(1).bay_id
    assert conflict(jobs[1], bay, NOW, NOW + timedelta(minutes=30), p, jobs, BAYS) is None
    assert conflict(jobs[1], 2 if bay == 1 else 1, NOW, NOW + timedelta(minutes=30), p, jobs, BAYS) is not None


def test_clock_on_is_refused_while_a_started_job_holds_the_car_elsewhere():
    jobs = [electrical(started_tech=1, started_bay=1, remaining=0.5), maintenance()]
    p = plan(jobs, TECHS, BAYS, NOW)
    refused = clock_on_conflict(jobs[1], 3, NOW, p, jobs, BAYS)
    assert refused is not None and refused.reason.zh == "车辆在1号举升机,至16:16"
    # Only started jobs hold the car: a planned one does not stop a clock-on.
    planned_only = [electrical(), maintenance()]
    assert clock_on_conflict(planned_only[1], 3, NOW, plan(planned_only, TECHS, BAYS, NOW), planned_only, BAYS) is None


def test_a_job_without_a_car_is_not_held_back():
    p = plan([electrical(car=None), maintenance(car=None)], TECHS, BAYS, NOW)
    assert p.slot(1).start == p.slot(2).start == NOW
