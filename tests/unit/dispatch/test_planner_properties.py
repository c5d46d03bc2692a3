"""Whatever the shop looks like: no technician or bay double-booked, skills sufficient,
shifts respected, started jobs never moved."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from board.dispatch.model import BayIn, JobIn, TechIn
from board.dispatch.planner import plan, replan

NOW = datetime(2026, 11, 24, 9, 0)
SKILLS = ["maintenance", "electrical", "body"]
KINDS = ["general_lift", "quick_service", "body"]


@st.composite
def shops(draw):
    techs = [
        TechIn(i, f"T{i}", {s: draw(st.integers(1, 3)) for s in draw(st.sets(st.sampled_from(SKILLS), min_size=1))},
               NOW.replace(hour=draw(st.integers(7, 12))), NOW.replace(hour=draw(st.integers(13, 19))), draw(st.booleans() | st.just(True)))
        for i in range(1, draw(st.integers(1, 6)) + 1)
    ]
    bays = [BayIn(i, f"B{i}", draw(st.sampled_from(KINDS))) for i in range(1, draw(st.integers(1, 5)) + 1)]
    jobs = []
    for i in range(1, draw(st.integers(0, 20)) + 1):
        started = draw(st.booleans()) and draw(st.booleans())
        t = draw(st.sampled_from(techs))
        jobs.append(JobIn(i, f"J{i}", draw(st.sampled_from(["rework", "waiting", "appointment", "walk_in", "internal"])),
                          draw(st.sampled_from(SKILLS)), draw(st.integers(1, 3)), draw(st.sampled_from([0.5, 1.0, 1.5, 3.0])),
                          draw(st.sampled_from(KINDS)), NOW + timedelta(minutes=draw(st.integers(-60, 600))),
                          started_tech=t.id if started else None, remaining=0.5 if started else None))
    return jobs, techs, bays


def overlaps(intervals):
    intervals = sorted(intervals)
    return any(a_end > b_start for (_, a_end), (b_start, _) in zip(intervals, intervals[1:], strict=False))


@given(shops())
@settings(max_examples=150, deadline=None)
def test_plans_never_break_the_hard_rules(shop):
    jobs, techs, bays = shop
    p = plan(jobs, techs, bays, NOW)
    by_job = {j.id: j for j in jobs}
    by_tech = {t.id: t for t in techs}
    for t in techs:
        assert not overlaps([(s.start, s.end) for s in p.slots if s.tech_id == t.id]), "a technician double-booked"
    for b in bays:
        assert not overlaps([(s.start, s.end) for s in p.slots if s.bay_id == b.id]), "a bay double-booked"
    for s in p.slots:
        j, t = by_job[s.job_id], by_tech[s.tech_id]
        if j.started_tech is not None:
            assert s.tech_id == j.started_tech and s.fixed, "a started job moved"
            continue
        assert t.present and t.skills.get(j.skill, 0) >= j.level, "skill or level not sufficient"
        assert t.shift_start <= s.start and s.end <= t.shift_end, "outside the shift"
        assert s.start >= NOW
        assert s.bay_id is not None and next(b for b in bays if b.id == s.bay_id).kind == j.bay_kind
    assert {s.job_id for s in p.slots} | {j for j, _ in p.unassignable} == set(by_job), "a job was lost"


@given(shops())
@settings(max_examples=400, deadline=None)
def test_replanning_with_nothing_changed_moves_nothing(shop):
    jobs, techs, bays = shop
    first = plan(jobs, techs, bays, NOW)
    _, changes = replan(first, jobs, techs, bays, NOW)
    assert changes == []
