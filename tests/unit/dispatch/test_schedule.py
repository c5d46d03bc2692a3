"""The list the local search edits: pricing an edit from a checkpoint (and stopping early when
the floor is back where it was) gives exactly what playing the whole edited list gives, and the
placements the planner reads are the ones priced."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from board.dispatch.planner import first_list, plan
from board.dispatch.schedule import AUTO, Schedule
from tests.unit.dispatch.strategies import NOW, shops


def schedule_of(jobs, techs, bays):
    """The first plan as a list, as the planner hands it to the search, and the first plan."""
    return first_list(jobs, techs, bays, NOW), plan(jobs, techs, bays, NOW)


def state(s):
    return s.order, [s.used[j] for j in s.order], [round(s.start[j], 6) for j in s.order], [round(c, 6) for c in s.prefix]


@given(shops(max_jobs=30), st.integers(0, 10_000))
@settings(max_examples=80, deadline=None)
def test_edits_priced_from_a_checkpoint_cost_what_the_whole_list_costs(shop, seed):
    s, first = schedule_of(*shop)
    started = {j.id for j in shop[0] if j.started_tech is not None}
    played, _ = s.placements()
    assert sorted(round(p.end, 6) for p in played) == sorted(round((x.end - NOW).total_seconds() / 60, 6) for x in first.slots
                                                            if x.job_id not in started), "the list plays back the first plan"
    rng = random.Random(seed)
    n = len(s.order)
    for _ in range(30):
        if n < 2:
            break
        order, tech = s.order[:], s.tech[:]
        a, b = sorted(rng.sample(range(n), 2))
        order.insert(a, order.pop(b))
        if rng.random() < 0.5:
            j = order[a]
            tech[j] = rng.choice(list(s.choices[j]) + [AUTO])
        trial = s.price(order, tech, a, b, float("inf"))
        s.accept(trial)
        fresh = Schedule(s.works, s.base, order[:], tech[:], s.current, s.stay, s.unplaced, s.choices, s.change)
        assert trial.cost == pytest.approx(fresh.cost) and state(s) == state(fresh)
        played, dropped = s.placements()
        assert [(p.tech, round(p.start, 6)) for p in played] == [(s.used[j], round(s.start[j], 6)) for j in s.order if s.used[j] != AUTO]
        assert len(played) + len(dropped) == n


@given(shops(max_jobs=30), st.integers(0, 10_000))
@settings(max_examples=50, deadline=None)
def test_an_edit_that_costs_more_than_its_bound_is_refused_and_one_kept_costs_what_it_says(shop, seed):
    s, _ = schedule_of(*shop)
    rng = random.Random(seed)
    n = len(s.order)
    if n < 2:
        return
    for _ in range(10):
        order = s.order[:]
        a, b = sorted(rng.sample(range(n), 2))
        order.insert(a, order.pop(b))
        whole = Schedule(s.works, s.base, order, s.tech[:], s.current, s.stay, s.unplaced, s.choices, s.change).cost
        bound = s.cost + rng.choice([0.0, 30.0, 300.0])
        trial = s.price(order, s.tech[:], a, b, bound)
        if whole > bound:
            assert trial is None
        if trial is not None:
            assert trial.cost == pytest.approx(whole) and whole <= bound + 1e-6
