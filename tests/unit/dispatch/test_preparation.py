"""The day before: each booking gets a technician who holds the skill, least over-qualified, within his hours."""

from datetime import time

from board.dispatch.preparation import BookingWork, Crew, reserve

BAYS = [(1, "general_lift"), (2, "general_lift"), (3, "body"), (4, "quick_service")]


def test_bookings_go_to_technicians_who_hold_the_skill_least_overqualified_first():
    crew = [Crew(1, {"maintenance": 3, "electrical": 3}, 9.0), Crew(2, {"maintenance": 1}, 9.0), Crew(3, {"body": 2}, 9.0)]
    out = {r.appointment_id: r for r in reserve([BookingWork(10, "maintenance", time(9)), BookingWork(11, "repair", time(10)),
                                                 BookingWork(12, "body_paint", time(9))], crew, BAYS)}
    assert (out[10].tech_id, out[11].tech_id, out[12].tech_id) == (2, 1, 3)
    assert out[12].bay_id == 3 and out[10].bay_id in (1, 2)


def test_hours_are_respected_and_what_does_not_fit_says_why():
    crew = [Crew(1, {"body": 2}, 8.0)]
    out = reserve([BookingWork(1, "body_paint", time(9)), BookingWork(2, "body_paint", time(10))], crew, BAYS)
    assert sorted(r.tech_id is None for r in out) == [False, True]
    assert next(r for r in out if r.tech_id is None).reason == "no technician with body 2 has time"


def test_bays_of_a_kind_are_shared_out_by_arrival_time():
    crew = [Crew(1, {"maintenance": 1}, 9.0), Crew(2, {"maintenance": 1}, 9.0)]
    out = reserve([BookingWork(1, "maintenance", time(9)), BookingWork(2, "maintenance", time(9, 30))], crew, BAYS)
    assert sorted(r.bay_id for r in out) == [1, 2]
