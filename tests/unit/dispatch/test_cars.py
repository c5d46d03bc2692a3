"""One car, one bay: the planner keeps a car's cards in the bay it stands in (held for it between
them), by the technician who has it where his skills allow; two technicians may share it in one
bay when both cards allow it; and the clock-on rule says which bay a car goes in, or why not."""

from datetime import datetime, timedelta

from board.dispatch.cars import Refused, Worked, bay_for_clock_on
from board.dispatch.model import BayIn, JobIn, TechIn
from board.dispatch.planner import plan, replan
from tests.unit.dispatch.strategies import bay_changes, broken_rules

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


def test_a_cars_second_card_follows_the_first_in_the_same_bay():
    p = plan([electrical(), maintenance()], TECHS, BAYS, NOW)
    first, second = sorted(p.slots, key=lambda s: s.start)
    assert first.end <= second.start and first.bay_id == second.bay_id  # the car is not driven from the lift to the express bay
    where = next(b.name for b in BAYS if b.id == first.bay_id)
    assert any(r.en == f"car in {where} until {first.end:%H:%M}" and r.zh == f"车辆在{where},至{first.end:%H:%M}" for r in second.reasons)


def test_different_cars_go_at_the_same_time():
    p = plan([electrical(car=7), maintenance(car=8)], TECHS, BAYS, NOW)
    assert p.slot(1).start == p.slot(2).start == NOW


def test_an_express_card_goes_to_the_express_bay_first_and_up_on_a_lift_when_it_is_taken():
    assert plan([maintenance(car=8)], TECHS, BAYS, NOW).slot(2).bay_id == 3
    express_taken = [replace_bay(BAYS, 3, car=9)]
    assert plan([maintenance(car=8)], TECHS, express_taken[0], NOW).slot(2).bay_id in (1, 2)


def replace_bay(bays, bay_id, **change):
    return [BayIn(b.id, b.name, b.kind, b.busy_until, **change) if b.id == bay_id else b for b in bays]


def test_two_technicians_share_one_car_in_one_bay_when_both_jobs_allow_it():
    both = plan([electrical(shares_car=True), maintenance(bay="general_lift", shares_car=True)], TECHS, BAYS, NOW)
    assert both.slot(1).start == both.slot(2).start == NOW and both.slot(1).bay_id == both.slot(2).bay_id
    one = plan([electrical(shares_car=True), maintenance(bay="general_lift")], TECHS, BAYS, NOW)
    assert one.slot(1).end <= one.slot(2).start or one.slot(2).end <= one.slot(1).start


def test_sharing_the_car_never_puts_it_in_two_bays():
    p = plan([electrical(shares_car=True), maintenance(shares_car=True)], TECHS, BAYS, NOW)
    assert p.slot(1).bay_id == p.slot(2).bay_id or p.slot(1).end <= p.slot(2).start or p.slot(2).end <= p.slot(1).start


def test_a_started_job_holds_its_car_in_its_bay_until_its_planned_end():
    started = electrical(started_tech=1, started_bay=1, remaining=0.5)
    p = plan([started, maintenance()], TECHS, BAYS, NOW)
    assert p.slot(2).start == p.slot(1).end == at("16:16") and p.slot(2).bay_id == 1
    assert any(r.en == "car in 1号举升机 until 16:16" for r in p.slot(2).reasons)


def test_a_replan_after_an_overrun_keeps_the_car_in_one_place():
    started = electrical(started_tech=1, started_bay=1, remaining=0.5)
    first = plan([started, maintenance()], TECHS, BAYS, NOW)
    second, _ = replan(first, [electrical(started_tech=1, started_bay=1, remaining=1.5), maintenance()], TECHS, BAYS, NOW)
    assert second.slot(2).start == second.slot(1).end == at("17:16") and second.slot(2).bay_id == 1


def test_a_car_holds_its_bay_between_its_cards_so_no_other_car_is_put_in_it():
    one_lift = [BayIn(1, "1号举升机", "general_lift")]
    techs = TECHS + [TechIn(3, "吴凯", {"electrical": 3}, NOW.replace(hour=17), NOW.replace(hour=19))]
    # Car 7's electrical work starts now (李军), its maintenance card waits for 周斌, who is busy until 17:00 on car 8's
    # express job: the lift is held for car 7 meanwhile, and car 9 waits for it.
    jobs = [electrical(car=7), JobIn(2, "RO-7 保养", "walk_in", "maintenance", 1, 0.5, "general_lift", None, car=7),
            JobIn(3, "RO-8 快保", "waiting", "maintenance", 1, 1.25, "quick_service", NOW + timedelta(hours=1), started_tech=2,
                  started_bay=3, remaining=1.25, car=8),
            JobIn(4, "RO-9 电器", "walk_in", "electrical", 1, 0.5, "general_lift", None, car=9)]
    p = plan(jobs, techs, one_lift + [BAYS[2]], NOW)
    assert broken_rules(p, jobs, techs, one_lift + [BAYS[2]], NOW) == []
    assert p.slot(2).bay_id == p.slot(1).bay_id == 1 and p.slot(4).start >= p.slot(2).end


def test_a_car_stopped_on_a_lift_holds_it_and_others_go_elsewhere():
    stood = replace_bay(BAYS, 1, car=5, car_stays=True)  # waiting for parts with no date, kept on the lift
    p = plan([electrical(car=8)], TECHS, stood, NOW)
    assert p.slot(1).bay_id == 2
    only_that_lift = [stood[0]]
    nothing = plan([electrical(car=8)], TECHS, only_that_lift, NOW)
    assert nothing.slots == ()


def test_a_card_for_another_kind_of_bay_moves_the_car_and_the_move_is_counted_as_forced():
    bays = BAYS + [BayIn(4, "四轮定位", "alignment")]
    techs = TECHS + [TechIn(3, "孙浩", {"alignment": 2}, NOW.replace(hour=8), NOW.replace(hour=19))]
    jobs = [electrical(), JobIn(5, "RO-7 四轮定位", "waiting", "alignment", 1, 0.5, "alignment", NOW + timedelta(hours=3), car=7)]
    p = plan(jobs, techs, bays, NOW)
    assert {p.slot(1).bay_id, p.slot(5).bay_id} == {1, 4} or {p.slot(1).bay_id, p.slot(5).bay_id} == {2, 4}
    assert bay_changes(p, jobs, bays, NOW) == [(7, True)]


def test_the_car_stays_with_its_technician_where_his_skills_allow():
    techs = [TechIn(1, "赵强", {"maintenance": 3, "mechanical": 3}, NOW.replace(hour=8), NOW.replace(hour=19)),
             TechIn(2, "周斌", {"maintenance": 1, "mechanical": 1}, NOW.replace(hour=8), NOW.replace(hour=19))]
    jobs = [JobIn(1, "RO-7 保养", "waiting", "maintenance", 2, 0.5, "general_lift", NOW + timedelta(hours=3), car=7),
            JobIn(2, "RO-7 刹车片", "waiting", "mechanical", 1, 1.0, "general_lift", NOW + timedelta(hours=3), car=7)]
    p = plan(jobs, techs, BAYS, NOW)
    # 周斌 could do the pads, and a junior is usually kept for simple work: but the car is 赵强's.
    assert p.slot(1).tech_id == p.slot(2).tech_id == 1 and p.slot(1).bay_id == p.slot(2).bay_id


def test_a_job_without_a_car_is_not_held_back():
    p = plan([electrical(car=None), maintenance(car=None)], TECHS, BAYS, NOW)
    assert p.slot(1).start == p.slot(2).start == NOW


# -- the clock-on: which bay a car goes in ----------------------------------------------------


def test_clock_on_works_the_car_where_it_stands():
    bays = replace_bay(BAYS, 2, car=7)
    assert bay_for_clock_on(7, "general_lift", False, 1, bays).id == 2
    assert bay_for_clock_on(7, "quick_service", False, 3, bays).id == 2  # an express card on the lift the car is on


def test_clock_on_puts_a_car_in_its_planned_bay_when_free_else_in_the_first_free_one():
    assert bay_for_clock_on(7, "general_lift", False, 2, BAYS).id == 2
    assert bay_for_clock_on(7, "general_lift", False, 2, replace_bay(BAYS, 2, car=8)).id == 1
    assert bay_for_clock_on(7, "quick_service", False, None, BAYS).id == 3  # the express bay first


def test_clock_on_never_puts_a_car_in_a_bay_another_car_stands_in():
    full = replace_bay(replace_bay(BAYS, 1, car=8), 2, car=9)
    refused = bay_for_clock_on(7, "general_lift", False, 1, full)
    assert isinstance(refused, Refused)
    assert refused.reason.zh == "所有举升机都有车(1号举升机、2号举升机)"


def test_clock_on_moves_a_car_for_a_card_of_another_kind_unless_someone_works_on_it():
    bays = replace_bay(BAYS, 3, car=7) + [BayIn(4, "四轮定位", "alignment")]
    assert bay_for_clock_on(7, "alignment", False, None, bays).id == 4
    busy = bay_for_clock_on(7, "alignment", True, None, bays, [Worked(1, "周斌", True)])
    assert isinstance(busy, Refused) and "快保工位" in busy.reason.zh


def test_two_technicians_on_one_car_only_when_both_cards_allow_it():
    bays = replace_bay(BAYS, 1, car=7)
    assert bay_for_clock_on(7, "general_lift", True, None, bays, [Worked(1, "李军", True)]).id == 1
    refused = bay_for_clock_on(7, "general_lift", False, None, bays, [Worked(1, "李军", True)])
    assert isinstance(refused, Refused) and refused.reason.zh == "车辆在1号举升机正由李军维修"
