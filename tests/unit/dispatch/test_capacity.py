"""Bookings the workshop can keep, as rules: a time is offered only when the plan starts the car
within the stated wait — bays by kind (an express card may go up on a lift), skills on shift, what is
booked and what is already in the shop all count — and the ready time is the plan's."""

from datetime import datetime, timedelta

from board.dispatch import rules
from board.dispatch.capacity import WAIT, Card, cards_of, hours_left, offer, reserved
from board.dispatch.model import BayIn, JobIn, TechIn

DAY = datetime(2026, 12, 8, 8, 0)
SERVICE = [Card("10000 公里保养", "maintenance", 1, 1.3, "quick_service")]
TECHS = [TechIn(1, "郑涛", {"maintenance": 2, "mechanical": 2}, DAY, DAY.replace(hour=17, minute=30)),
         TechIn(2, "李军", {"maintenance": 2, "electrical": 3}, DAY, DAY.replace(hour=17, minute=30))]
LIFT, EXPRESS = BayIn(1, "1号举升机", "general_lift"), BayIn(2, "快保1", "quick_service")


def at(hh_mm: str) -> datetime:
    return DAY.replace(hour=int(hh_mm[:2]), minute=int(hh_mm[3:]))


def ask(day: list[JobIn], arrival: str, waits: bool = True, bays: list[BayIn] | None = None, techs: list[TechIn] | None = None):
    booking = reserved([-1], SERVICE, 99, at(arrival), waits, DAY)
    return offer(day, techs or TECHS, bays or [LIFT, EXPRESS], DAY, booking, waits)


def busy(job_id: int, car: int, until: str, bay_kind: str = "general_lift") -> JobIn:
    """Work already in the shop, started: it holds its technician and its bay until then."""
    hours = (at(until) - DAY).total_seconds() / 3600
    return JobIn(job_id, f"RO-{car}", "walk_in", "maintenance", 1, hours, bay_kind, None, started_tech=job_id, started_bay=job_id,
                 remaining=hours, car=car)


def test_a_time_is_offered_when_the_plan_starts_the_car_within_the_stated_wait():
    free = ask([], "11:00")
    assert free.fits and free.start == at("11:00") and free.finish == at("12:18")
    assert free.ready(timedelta(minutes=20)) == at("12:18") + rules.QC_AND_WASH + timedelta(minutes=20)


def test_an_express_card_goes_up_on_a_lift_when_the_express_bays_are_full_and_waits_when_every_bay_is():
    express_taken = [busy(2, 7, "15:43", "quick_service")]
    on_a_lift = ask(express_taken, "11:00", techs=TECHS[:2])
    assert on_a_lift.fits and on_a_lift.start == at("11:00")
    every_bay_taken = [busy(1, 6, "15:43"), busy(2, 7, "15:43", "quick_service")]
    refused = ask(every_bay_taken, "11:00", techs=TECHS + [TechIn(3, "周斌", {"maintenance": 1}, DAY, DAY.replace(hour=17, minute=30))])
    assert not refused.fits and refused.start == at("15:43")
    assert refused.cause is not None and refused.cause.zh == "所有快保工位和举升机占用至 15:43"


def test_the_stated_wait_is_the_customers_waiting_half_an_hour_or_two_hours_dropped_off():
    assert WAIT[True] == timedelta(minutes=30) and WAIT[False] == timedelta(hours=2)
    lifts_free_at_noon = [busy(1, 6, "12:00"), busy(2, 7, "12:00", "quick_service")]
    three = TECHS + [TechIn(3, "周斌", {"maintenance": 1}, DAY, DAY.replace(hour=17, minute=30))]
    assert not ask(lifts_free_at_noon, "11:00", waits=True, techs=three).fits  # an hour in the lounge: not offered
    dropped = ask(lifts_free_at_noon, "11:00", waits=False, techs=three)
    assert dropped.fits and dropped.start == at("12:00")  # dropped off, started within two hours: offered, ready when it says


def test_the_skills_on_shift_count_not_only_the_bays():
    nobody_left = [TechIn(1, "郑涛", {"maintenance": 2}, DAY, DAY.replace(hour=11, minute=30))]
    refused = ask([], "11:00", techs=nobody_left)
    assert not refused.fits and refused.start is None and refused.cause is not None


def test_what_is_booked_reserves_its_place_so_a_later_booking_cannot_take_it():
    one_bay_one_man = ([EXPRESS], TECHS[:1])
    booked = reserved([-10], SERVICE, 5, at("10:00"), True, DAY)
    assert ask([], "10:00", bays=one_bay_one_man[0], techs=one_bay_one_man[1]).fits
    taken = ask(booked, "10:00", bays=one_bay_one_man[0], techs=one_bay_one_man[1])
    assert not taken.fits and taken.start == at("11:18")  # after the car booked at 10:00


def test_a_late_booking_reserves_its_place_from_now():
    now = DAY.replace(hour=10, minute=40)
    late = reserved([-10], SERVICE, 5, at("10:00"), True, now)
    assert late[0].earliest == now and late[0].promised == at("10:00") + WAIT[True] + timedelta(hours=1.3)


def test_a_bookings_lines_of_one_skill_and_kind_of_bay_are_one_card():
    cards = cards_of([("更换机油机滤", "maintenance", 1, 0.5, "quick_service"), ("全车检查", "maintenance", 2, 0.5, "quick_service"),
                      ("四轮定位", "alignment", 1, 1.0, "alignment")])
    assert [(c.skill, c.level, c.hours, c.bay_kind) for c in cards] == [("maintenance", 2, 1.0, "quick_service"), ("alignment", 1, 1.0, "alignment")]


def test_bookings_may_take_the_shops_share_of_the_hours_left_on_shift():
    # Two men, 08:00–17:30: 19 hours; at 70 %, 13.3 hours for bookings, less the 1.3 booked.
    booked = reserved([-1], SERVICE, 98, at("09:00"), True, DAY)
    assert round(hours_left(booked, TECHS, DAY, 0.7), 2) == 12.0
    # At 15:30 two hours are left on each shift; one man away leaves only his.
    away = [TECHS[0], TechIn(2, "李军", {"maintenance": 2}, DAY, at("17:30"), present=False)]
    assert round(hours_left([], away, at("15:30"), 0.5), 2) == 1.0
