"""Routes of the advisor's booking console: customers and cars with their history, free slots, booking, moving, cancelling, cars due for maintenance.

Registered in the one registry (board/api/registry.py) like every route; the rules live in board/services/.
Moving and cancelling are the bookings' own routes (PATCH /appointments/{id}, POST /appointments/{id}/cancel)."""

from __future__ import annotations

from typing import Any

from board.api import answers, answers_booking, serialize
from board.api.registry import api
from board.auth.roles import ADVISORS
from board.context import Ctx
from board.services import appointments, booking_console, parts_desk

S = "/api/shops/{shop}/booking"
Result = tuple[int, Any]


@api("GET", S + "/cars", "Find cars by plate (whole or part), the customer's phone or name, with their last visit and next booking",
     query=booking_console.SearchQuery, roles=ADVISORS, response=list[answers_booking.Car])
def find_cars(ctx: Ctx, query: booking_console.SearchQuery) -> Result:
    return 200, booking_console.search(ctx, query.q)


@api("GET", S + "/cars/{vehicle_id:int}", "A car with its customer and its history at this shop: bookings, repair orders, declined work, "
     "last visit and mileage, next service", roles=ADVISORS, response=answers_booking.CarHistory)
def car_history(ctx: Ctx, vehicle_id: int) -> Result:
    return 200, booking_console.history(ctx, vehicle_id)


@api("GET", S + "/orders/{ro_id:int}", "The car of a repair order with its history (booking on the follow-up call)", roles=ADVISORS,
     response=answers_booking.CarHistory)
def car_of_order(ctx: Ctx, ro_id: int) -> Result:
    return 200, booking_console.car_of_order(ctx, ro_id)


@api("GET", S + "/due", "Cars due for maintenance with no booking to come (last visit + the menu's interval, 6 months by default): "
     "the outbound calls (主动预约)", query=booking_console.DueQuery, roles=ADVISORS, response=answers_booking.DueList)
def cars_due(ctx: Ctx, query: booking_console.DueQuery) -> Result:
    return 200, booking_console.due(ctx, query.within_days)


@api("GET", S + "/slots", "The next days' times for the work booked (its menu, else its kind of service): what each can still take, "
     "and from the workshop's plan when the work would start and the car be ready", query=booking_console.SlotsQuery,
     response=list[answers_booking.DaySlots])
def week_slots(ctx: Ctx, query: booking_console.SlotsQuery) -> Result:
    return 200, booking_console.slots(ctx, query)


@api("GET", S + "/offer", "One time asked both ways: when the car would be ready if the customer waits, and if he drops it off",
     query=booking_console.OfferQuery, roles=ADVISORS, response=answers_booking.BothWays)
def both_ways(ctx: Ctx, query: booking_console.OfferQuery) -> Result:
    return 200, booking_console.offer(ctx, query)


@api("GET", S + "/menus", "The shop's service menus in use (保养套餐), with hours, parts and price", query=booking_console.MenusQuery,
     response=list[answers_booking.MenuOffer])
def list_menus(ctx: Ctx, query: booking_console.MenusQuery) -> Result:
    return 200, [parts_desk.serialize_menu(ctx, m) for m in parts_desk.menus(ctx, query.service_type)]


@api("POST", S + "/appointments", "Book from the console, with the service menu chosen (a full slot is refused with the nearest free ones)",
     body=booking_console.ConsoleBookingIn, roles=ADVISORS, response=answers.AppointmentOut)
def book_from_console(ctx: Ctx, body: booking_console.ConsoleBookingIn) -> Result:
    appt = booking_console.book(ctx, body)
    return 201, serialize.appointment(ctx, appt, appointments.state_of(ctx, appt))
