"""The anytime planner: whatever the shop, the improved plan keeps every hard rule (skills and
levels, bay kinds, shifts, pinned and started jobs, parts, one place per car), is never worse
than the first plan, and is the same plan for the same input and budget."""

from hypothesis import given, settings
from hypothesis import strategies as st

from board.dispatch import rules
from board.dispatch.planner import plan, replan
from tests.unit.dispatch.strategies import NOW, broken_rules, shops

BUDGET = 3_000  # placements: enough for many edits on a 20-job day, fast enough for a property


def objective(p, jobs, techs):
    """What the planner minimises: weighted minutes late, a job left for tomorrow counting as
    TOMORROW_MINUTES late, plus STAY_PUT_MINUTES for each job taken off the technician holding
    it while he could do it."""
    by_id = {j.id: j for j in jobs}
    present = {t.id: t for t in techs if t.present}
    moved = 0
    for s in p.slots:
        j = by_id[s.job_id]
        holder = present.get(j.current_tech) if j.current_tech is not None else None
        if j.started_tech is None and j.pinned_tech is None and holder and rules.qualified(holder, j) and s.tech_id != holder.id:
            moved += 1
    unplaced = sum(rules.TOMORROW_MINUTES * rules.WEIGHTS[by_id[j].priority] for j, _ in p.unassignable)
    return p.weighted_lateness + unplaced + rules.STAY_PUT_MINUTES * moved


@given(shops(), st.integers(0, 3))
@settings(max_examples=150, deadline=None)
def test_the_improved_plan_keeps_every_hard_rule_and_is_never_worse(shop, seed):
    jobs, techs, bays = shop
    first = plan(jobs, techs, bays, NOW)
    better = plan(jobs, techs, bays, NOW, budget=BUDGET, seed=seed)
    assert broken_rules(better, jobs, techs, bays) == []
    assert objective(better, jobs, techs) <= objective(first, jobs, techs) + 1e-6


@given(shops())
@settings(max_examples=60, deadline=None)
def test_an_improved_replan_keeps_every_hard_rule(shop):
    jobs, techs, bays = shop
    first = plan(jobs, techs, bays, NOW, budget=BUDGET)
    fewer = [t if i else t.__class__(**{**t.__dict__, "present": False}) for i, t in enumerate(techs)]
    again, _ = replan(first, jobs, fewer, bays, NOW, budget=BUDGET)
    assert broken_rules(again, jobs, fewer, bays) == []


@given(shops(), st.integers(0, 3))
@settings(max_examples=40, deadline=None)
def test_the_same_input_and_budget_give_the_same_plan(shop, seed):
    jobs, techs, bays = shop
    assert plan(jobs, techs, bays, NOW, budget=BUDGET, seed=seed) == plan(jobs, techs, bays, NOW, budget=BUDGET, seed=seed)
