"""The dispatcher's rules, one test each, over plain data."""

from datetime import datetime, timedelta

from board.dispatch.model import BayIn, JobIn, TechIn
from board.dispatch.planner import plan, replan

NOW = datetime(2026, 11, 24, 9, 0)


def tech(i, name, skills, start=8, end=17.5, present=True):
    return TechIn(i, name, skills, NOW.replace(hour=start, minute=0), NOW.replace(hour=int(end), minute=int(end % 1 * 60)), present)


def job(i, priority="walk_in", skill="maintenance", level=1, hours=1.0, bay="general_lift", promised_in=4.0, **extra):
    promised = NOW + timedelta(hours=promised_in) if promised_in is not None else None
    return JobIn(i, f"RO-{i}", priority, skill, level, hours, bay, promised, **extra)


LIFTS = [BayIn(1, "1号举升机", "general_lift"), BayIn(2, "2号举升机", "general_lift")]


def first_started(p):
    return min(p.slots, key=lambda s: (s.start, s.job_id)).job_id


def test_rework_goes_before_waiting_customer():
    p = plan([job(1, "waiting"), job(2, "rework")], [tech(1, "赵强", {"maintenance": 2})], LIFTS, NOW)
    assert first_started(p) == 2
    assert p.slot(2).reasons[0].en == "rework: first in line"


def test_waiting_customer_goes_before_appointment_and_appointment_before_walk_in():
    p = plan([job(1, "walk_in"), job(2, "appointment"), job(3, "waiting"), job(4, "internal")], [tech(1, "赵强", {"maintenance": 2})], LIFTS, NOW)
    assert [s.job_id for s in sorted(p.slots, key=lambda s: s.start)] == [3, 2, 1, 4]


def test_within_a_class_least_slack_first():
    p = plan([job(1, "appointment", promised_in=6), job(2, "appointment", promised_in=2)], [tech(1, "赵强", {"maintenance": 2})], LIFTS, NOW)
    assert first_started(p) == 2


def test_master_not_spent_on_simple_job_when_junior_free():
    p = plan([job(1, level=1)], [tech(1, "赵强", {"maintenance": 3}), tech(2, "周斌", {"maintenance": 1})], LIFTS, NOW)
    assert p.slot(1).tech_id == 2
    assert any("赵强 kept for harder work" == r.en for r in p.slot(1).reasons)


def test_master_takes_the_simple_job_when_the_junior_would_make_it_late():
    busy_junior = [job(9, "rework", level=1, hours=3.0, started_tech=2, remaining=3.0)]
    p = plan(busy_junior + [job(1, "waiting", level=1, promised_in=1.5)], [tech(1, "赵强", {"maintenance": 3}), tech(2, "周斌", {"maintenance": 1})], LIFTS, NOW)
    assert p.slot(1).tech_id == 1 and p.slot(1).late_minutes == 0


def test_a_job_needs_the_skill_at_or_above_its_level():
    p = plan([job(1, skill="electrical", level=3)], [tech(1, "钱磊", {"electrical": 2}), tech(2, "李军", {"electrical": 3})], LIFTS, NOW)
    assert p.slot(1).tech_id == 2
    assert "only 李军 holds electrical 3" in p.slot(1).reasons[1].en


def test_nobody_with_the_skill_is_reported_with_the_reason():
    p = plan([job(1, skill="electrical", level=3)], [tech(1, "钱磊", {"electrical": 2})], LIFTS, NOW)
    assert p.slots == () and p.unassignable[0][1].en == "no technician with electrical 3"
    absent = plan([job(1, skill="electrical", level=3)], [tech(1, "李军", {"electrical": 3}, present=False)], LIFTS, NOW)
    assert absent.unassignable[0][1].en == "no technician with electrical 3 on shift"


def test_a_job_is_planned_in_a_bay_of_its_kind():
    bays = LIFTS + [BayIn(3, "烤漆房", "paint_booth")]
    p = plan([job(1, skill="paint", bay="paint_booth")], [tech(1, "褚华", {"paint": 3})], bays, NOW)
    assert p.slot(1).bay_id == 3
    none = plan([job(1, skill="paint", bay="paint_booth")], [tech(1, "褚华", {"paint": 3})], LIFTS, NOW)
    assert none.unassignable[0][1].en == "no paint booth bay"


def test_nothing_is_planned_outside_a_shift():
    p = plan([job(1, hours=3.0)], [tech(1, "吴凯", {"maintenance": 2}, start=8, end=11)], LIFTS, NOW)
    assert p.slots == () and "has 3 h left on shift" in p.unassignable[0][1].en
    later = plan([job(1)], [tech(1, "吴凯", {"maintenance": 2}, start=13, end=18)], LIFTS, NOW)
    assert later.slot(1).start == NOW.replace(hour=13)


def test_a_started_job_stays_where_it_is():
    started = job(1, level=1, started_tech=1, started_bay=2, remaining=0.5)
    p = plan([started, job(2, "rework")], [tech(1, "周斌", {"maintenance": 1}), tech(2, "赵强", {"maintenance": 3})], LIFTS, NOW)
    assert (p.slot(1).tech_id, p.slot(1).bay_id, p.slot(1).end) == (1, 2, NOW + timedelta(minutes=30)) and p.slot(1).fixed


def test_parts_arriving_later_delay_the_start():
    p = plan([job(1, earliest=NOW + timedelta(hours=2))], [tech(1, "赵强", {"maintenance": 2})], LIFTS, NOW)
    assert p.slot(1).start == NOW + timedelta(hours=2)
    assert any(r.en == "parts at 11:00: starts then" for r in p.slot(1).reasons)


def test_a_late_job_is_listed_with_how_late():
    p = plan([job(1, hours=2.0, promised_in=1.0)], [tech(1, "赵强", {"maintenance": 2})], LIFTS, NOW)
    assert p.late == (1,) and p.slot(1).late_minutes == 60
    assert p.slot(1).reasons[-1].en == "done 11:00, 60 min after promised"


def test_load_is_balanced_between_equal_technicians():
    p = plan([job(i) for i in range(1, 5)], [tech(1, "甲", {"maintenance": 1}), tech(2, "乙", {"maintenance": 1})], LIFTS, NOW)
    assert sorted(sum(1 for s in p.slots if s.tech_id == t) for t in (1, 2)) == [2, 2]


def test_replanning_after_an_absence_moves_only_that_technicians_jobs():
    techs = [tech(1, "甲", {"maintenance": 2}), tech(2, "乙", {"maintenance": 2}), tech(3, "丙", {"maintenance": 2})]
    jobs = [job(i, promised_in=8) for i in range(1, 7)]
    first = plan(jobs, techs, LIFTS + [BayIn(3, "3号", "general_lift")], NOW)
    gone = {s.job_id for s in first.slots if s.tech_id == 2}
    assert gone, "the absent technician had work to hand over: otherwise this test proves nothing"
    techs[1] = tech(2, "乙", {"maintenance": 2}, present=False)
    second, changes = replan(first, jobs, techs, LIFTS + [BayIn(3, "3号", "general_lift")], NOW)
    assert {c.job_id for c in changes} == gone
    assert all(c.reason.en == "its technician is absent or off shift" for c in changes)
    assert all(second.slot(j).tech_id != 2 for j in gone)


def test_rework_promised_tonight_lets_a_waiting_customer_due_soon_go_first():
    # Rework is first in line at equal slack; with all afternoon to spare it does not make a
    # waiting customer late for nothing.
    p = plan([job(1, "rework", promised_in=8), job(2, "waiting", promised_in=1)], [tech(1, "赵强", {"maintenance": 2})], LIFTS, NOW)
    assert first_started(p) == 2
    assert p.late == ()


def test_when_both_will_be_late_rework_still_goes_first():
    p = plan([job(1, "waiting", hours=2.0, promised_in=1), job(2, "rework", hours=2.0, promised_in=1)], [tech(1, "赵强", {"maintenance": 2})], LIFTS, NOW)
    assert first_started(p) == 2


def test_booked_customer_does_better_than_a_walk_in_on_the_same_promise():
    p = plan([job(1, "walk_in", promised_in=1), job(2, "appointment", promised_in=1)], [tech(1, "赵强", {"maintenance": 2})], LIFTS, NOW)
    assert p.slot(2).late_minutes == 0 and p.slot(1).late_minutes == 60


def test_a_long_job_about_to_run_out_of_shift_goes_before_short_urgent_ones():
    # Four hours left on the only shift: the three-hour job must start within the hour or it
    # is left for tomorrow, so it goes first even though the short jobs are due sooner.
    short = [job(i, "waiting", hours=0.5, promised_in=1) for i in (1, 2)]
    long = job(3, "walk_in", hours=3.0, promised_in=4)
    p = plan([*short, long], [tech(1, "吴凯", {"maintenance": 2}, start=8, end=13)], LIFTS, NOW)
    assert first_started(p) == 3
    assert p.unassignable == ()


def test_replanning_does_not_push_kept_work_out_of_the_day():
    # 甲 has three hours of work until 13:00 and a new job for the same skill arrives: the re-plan
    # does not bump his booked work to tomorrow to make room; the new job is reported instead.
    techs = [tech(1, "甲", {"electrical": 2}, end=13), tech(2, "乙", {"maintenance": 2})]
    jobs = [job(i, skill="electrical", hours=1.5, promised_in=3.5) for i in (1, 2)]
    first = plan(jobs, techs, LIFTS, NOW)
    assert {first.slot(1).tech_id, first.slot(2).tech_id} == {1}
    second, changes = replan(first, [*jobs, job(9, skill="electrical", hours=1.5, promised_in=1)], techs, LIFTS, NOW)
    assert second.slot(1) and second.slot(2), "kept work was pushed out of the day"
    assert changes == [] and [j for j, _ in second.unassignable] == [9]


AT_1035 = NOW.replace(hour=10, minute=35)
QUICK = [BayIn(3, "快保1", "quick_service")] + LIFTS


def lounge_job(**extra):
    """A customer waiting in the lounge for a half-hour oil change."""
    return JobIn(1, "RO-1 快保", "waiting", "maintenance", 1, 0.5, "quick_service", AT_1035 + timedelta(hours=1.5), **extra)


def junior_busy_until_1050():
    return job(9, "appointment", level=1, hours=0.25, bay="general_lift", started_tech=2, started_bay=1, remaining=0.25)


CREW = [tech(1, "孙浩", {"maintenance": 2}), tech(2, "周斌", {"maintenance": 1})]


def test_a_waiting_customer_is_not_kept_waiting_while_a_qualified_technician_is_idle():
    # The demo at 10:35: 孙浩 is free, 周斌 (the junior) is busy until 10:50, nothing harder waits.
    for budget in (None, "interactive"):
        p = plan([junior_busy_until_1050(), lounge_job()], CREW, QUICK, AT_1035, budget=budget)
        assert (p.slot(1).tech_id, p.slot(1).start) == (1, AT_1035), budget
        assert not any("kept for harder work" in r.en for r in p.slot(1).reasons)


def test_a_senior_is_kept_for_harder_work_only_when_it_is_there_and_would_wait():
    # A maintenance-2 job whose parts come at 10:45: if 孙浩 took the oil change at 10:35 it
    # would wait until 11:05; the junior takes the oil change when he is free, at 10:50.
    harder = job(5, "appointment", level=2, hours=1.0, earliest=AT_1035 + timedelta(minutes=10))
    p = plan([junior_busy_until_1050(), lounge_job(), harder], CREW, QUICK, AT_1035)
    assert (p.slot(1).tech_id, p.slot(1).start) == (2, AT_1035 + timedelta(minutes=15))
    assert any(r.en == "孙浩 kept for harder work" for r in p.slot(1).reasons)
    assert (p.slot(5).tech_id, p.slot(5).start) == (1, AT_1035 + timedelta(minutes=10))


def test_a_job_held_by_the_lifts_names_the_lifts_not_a_technician_kept_for_harder_work():
    # Issue 25: a waiting customer's job slid while the reasons said "赵强 kept for harder work"; the
    # true cause was every lift taken. One lift, held by 李军's car until 11:05; 孙浩 and 周斌 stand free.
    one_lift = [BayIn(1, "1号举升机", "general_lift")]
    crew = [*CREW, tech(3, "李军", {"mechanical": 1})]
    held = job(9, "appointment", skill="mechanical", level=1, hours=0.5, started_tech=3, started_bay=1, remaining=0.5, car=90)
    waiting = JobIn(1, "RO-1 保养", "waiting", "maintenance", 1, 1.0, "general_lift", AT_1035 + timedelta(hours=3), car=10)
    for budget in (None, "interactive"):
        p = plan([held, waiting], crew, one_lift, AT_1035, budget=budget)
        said = [r.zh for r in p.slot(1).reasons]
        assert p.slot(1).start == AT_1035 + timedelta(minutes=30), budget
        assert any(r.startswith("所有举升机占用至 11:05") for r in said), said
        assert not any("留给更难的作业" in r for r in said), said
