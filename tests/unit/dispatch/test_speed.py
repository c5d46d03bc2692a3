"""Each technician's real speed from what he clocked, the planner timing a job for the man who
does it, and the margin a promise needs."""

from datetime import datetime, timedelta

import pytest

from board.dispatch import rules
from board.dispatch.model import BayIn, JobIn, TechIn
from board.dispatch.planner import plan
from board.dispatch.speed import Clocked, promise_margin, speed_factors, speed_words

NOW = datetime(2026, 11, 24, 9, 0)


def jobs_clocked(tech, skill, ratio, count, hours=1.0, days_ago=1):
    return [Clocked(tech, skill, hours, hours * ratio, NOW - timedelta(days=days_ago, hours=k)) for k in range(count)]


def test_no_history_means_the_standard_time():
    assert speed_factors([], NOW) == {}


def test_one_job_moves_a_man_a_little_and_many_jobs_show_his_speed():
    one = speed_factors(jobs_clocked(1, "maintenance", 0.5, 1), NOW)[1]["maintenance"]
    many = speed_factors(jobs_clocked(1, "maintenance", 0.5, 60), NOW)[1]["maintenance"]
    assert one == pytest.approx((0.5 + 5) / 6, abs=0.001)  # a sixth of the way: the prior weighs five average jobs
    assert many == pytest.approx((30 + 5) / 65, abs=0.001) and many < 0.6


def test_each_skill_is_timed_on_its_own_and_the_window_is_thirty_days():
    history = jobs_clocked(1, "maintenance", 0.8, 40) + jobs_clocked(1, "electrical", 1.3, 40) + jobs_clocked(1, "body", 3.0, 40, days_ago=31)
    factors = speed_factors(history, NOW)[1]
    assert factors["maintenance"] < 1.0 < factors["electrical"]
    assert "body" not in factors


def test_a_clock_left_running_or_a_job_clocked_for_seconds_is_not_a_speed():
    seconds = [Clocked(2, "maintenance", 1.0, 0.001, NOW - timedelta(hours=1))]
    lunch = [Clocked(3, "maintenance", 1.0, 40.0, NOW - timedelta(hours=1))]
    assert speed_factors(seconds, NOW)[2]["maintenance"] == pytest.approx((0.25 + 5) / 6, abs=0.001)
    assert speed_factors(lunch, NOW)[3]["maintenance"] == pytest.approx((4 + 5) / 6, abs=0.001)


def test_the_console_shows_a_mans_speed_per_skill():
    assert speed_words("赵强", {"maintenance": 0.8}, rules.SKILL_WORDS) == [("赵强 保养 0.8×", "赵强 maintenance 0.8×")]


def test_the_planner_times_a_job_for_the_man_who_does_it():
    lifts = [BayIn(1, "1号举升机", "general_lift")]
    quick = TechIn(1, "赵强", {"maintenance": 1}, NOW, NOW.replace(hour=18), speed={"maintenance": 0.5})
    job = JobIn(1, "RO-1 保养", "walk_in", "maintenance", 1, 2.0, "general_lift", NOW + timedelta(hours=4))
    p = plan([job], [quick], lifts, NOW)
    assert p.slot(1).end == NOW + timedelta(hours=1)


def test_the_faster_man_gets_the_job_when_both_are_free():
    lifts = [BayIn(1, "1号举升机", "general_lift")]
    slow = TechIn(1, "周斌", {"maintenance": 1}, NOW, NOW.replace(hour=18), speed={"maintenance": 1.4})
    quick = TechIn(2, "赵强", {"maintenance": 1}, NOW, NOW.replace(hour=18), speed={"maintenance": 0.7})
    job = JobIn(1, "RO-1 保养", "waiting", "maintenance", 1, 1.0, "general_lift", NOW + timedelta(minutes=50))
    for budget in (None, 2_000):
        p = plan([job], [slow, quick], lifts, NOW, budget=budget)
        assert (p.slot(1).tech_id, p.slot(1).end, p.slot(1).late_minutes) == (2, NOW + timedelta(minutes=42), 0)


def test_a_slow_man_is_not_given_work_his_shift_cannot_hold():
    lifts = [BayIn(1, "1号举升机", "general_lift")]
    slow = TechIn(1, "周斌", {"maintenance": 1}, NOW, NOW.replace(hour=11), speed={"maintenance": 1.5})
    p = plan([JobIn(1, "RO-1", "walk_in", "maintenance", 1, 1.5, "general_lift", NOW + timedelta(hours=4))], [slow], lifts, NOW)
    assert p.slots == () and p.unassignable


def test_a_promise_margin_is_the_80th_percentile_of_past_overruns():
    assert promise_margin([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]) == timedelta(minutes=70)
    assert promise_margin([-30] * 9 + [15]) == timedelta(minutes=0)  # early finishes are on time
    assert promise_margin([120, 5]) == timedelta(minutes=30)  # too little history: the default
