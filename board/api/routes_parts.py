"""Routes of the parts desk: the parts each job and each of tomorrow's bookings needs, picked, ordered with an expected arrival, arrived.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/parts_desk.py."""

from __future__ import annotations

from typing import Any

from board.api import answers_booking, schemas
from board.api.registry import api
from board.auth.roles import PARTS_DESK
from board.context import Ctx
from board.services import parts_desk

S = "/api/shops/{shop}"
Result = tuple[int, Any]
Lines = list[answers_booking.PartLineOut]


@api("GET", S + "/parts", "The parts desk: every job in the workshop and the bookings of a day (default tomorrow) with their parts lines, "
     "and the menu whose parts those with none would take", query=schemas.DayQuery, response=answers_booking.PartsDesk)
def parts_list(ctx: Ctx, query: schemas.DayQuery) -> Result:
    return 200, parts_desk.desk(ctx, query.day)


@api("POST", S + "/parts/lines", "Add a part a job or a booking needs, by hand", body=parts_desk.PartLineIn, roles=PARTS_DESK,
     response=answers_booking.PartLineOut)
def add_part_line(ctx: Ctx, body: parts_desk.PartLineIn) -> Result:
    return 201, parts_desk.serialize_line(ctx, parts_desk.add_line(ctx, body))


@api("POST", S + "/parts/jobs/{job_id:int}/menu", "List a job's parts from its service menu (or the one named)", body=parts_desk.MenuPartsIn,
     roles=PARTS_DESK, response=Lines)
def job_parts_from_menu(ctx: Ctx, body: parts_desk.MenuPartsIn, job_id: int) -> Result:
    return 201, [parts_desk.serialize_line(ctx, x) for x in parts_desk.take_menu_for_job(ctx, job_id, body)]


@api("POST", S + "/parts/bookings/{appt_id:int}/menu", "List a booking's parts from the shop's menu of its service (or the one named)",
     body=parts_desk.MenuPartsIn, roles=PARTS_DESK, response=Lines)
def booking_parts_from_menu(ctx: Ctx, body: parts_desk.MenuPartsIn, appt_id: int) -> Result:
    return 201, [parts_desk.serialize_line(ctx, x) for x in parts_desk.take_menu_for_booking(ctx, appt_id, body)]


@api("POST", S + "/part-lines/{line_id:int}/pick", "The part is taken from stock for the job (needed or arrived → picked)",
     body=parts_desk.LineVersion, roles=PARTS_DESK, response=answers_booking.PartLineOut)
def pick_part(ctx: Ctx, body: parts_desk.LineVersion, line_id: int) -> Result:
    return 200, parts_desk.serialize_line(ctx, parts_desk.move(ctx, line_id, "pick", body.version))


@api("POST", S + "/part-lines/{line_id:int}/order", "The part is ordered, with its expected arrival (again: a new arrival time); "
     "the dispatcher plans the job from the last part's arrival", body=parts_desk.OrderIn, roles=PARTS_DESK,
     response=answers_booking.PartLineOut)
def order_part(ctx: Ctx, body: parts_desk.OrderIn, line_id: int) -> Result:
    return 200, parts_desk.serialize_line(ctx, parts_desk.move(ctx, line_id, "order", body.version, body.expected_at))


@api("POST", S + "/part-lines/{line_id:int}/arrive", "The ordered part has arrived", body=parts_desk.LineVersion, roles=PARTS_DESK,
     response=answers_booking.PartLineOut)
def part_arrived(ctx: Ctx, body: parts_desk.LineVersion, line_id: int) -> Result:
    return 200, parts_desk.serialize_line(ctx, parts_desk.move(ctx, line_id, "arrive", body.version))


@api("POST", S + "/part-lines/{line_id:int}/remove", "Take off a part nothing was done with yet", body=parts_desk.LineVersion,
     roles=PARTS_DESK, response=answers_booking.PartLineOut)
def remove_part(ctx: Ctx, body: parts_desk.LineVersion, line_id: int) -> Result:
    return 200, parts_desk.serialize_line(ctx, parts_desk.remove(ctx, line_id, body.version))
