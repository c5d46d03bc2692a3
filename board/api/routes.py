"""The JSON API under /api/: one small handler per action, the rules live in board.services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from board import commands
from board.api import answers, schemas, serialize
from board.api.registry import api
from board.auth.principal import Principal, require, require_group_admin, require_own_job
from board.auth.roles import ACTION_ROLES, ADMIN, ADVISORS, FOREMEN, FRONT_DESK, JOB_MOVERS, ORDERS, WORKSHOP
from board.boards.specs import day_view, welcome_board
from board.context import Ctx
from board.db.models import Appointment, Camera, Event, Job, RepairOrder, Shop
from board.dispatch import plan_store
from board.dispatch import service as dispatch
from board.domain.vocab import Stage
from board.errors import InvalidInput
from board.reports import kpis
from board.services import (
    appointments,
    arrivals,
    cameras,
    csv_import,
    follow_ups,
    job_card,
    preparations,
    promise_alerts,
    repair_orders,
    reports,
    rollover,
    staff,
    targets,
    tokens,
    users,
)
from board.settings import Settings

S = "/api/shops/{shop}"
Result = tuple[int, Any]


# -- shops and staff ------------------------------------------------------------------------


@api("GET", "/api/shops", "List shops", shop_scoped=False, response=list[answers.ShopOut])
def list_shops(session: Session, principal: Principal, settings: Settings) -> Result:
    stmt = select(Shop).order_by(Shop.id)
    if principal.shop_id is not None:  # staff see their own shop only
        stmt = stmt.where(Shop.id == principal.shop_id)
    return 200, [serialize.shop(s) for s in session.scalars(stmt)]


@api("POST", "/api/shops", "Create a shop", body=commands.ShopIn, shop_scoped=False, roles=ADMIN, response=answers.ShopOut)
def create_shop(session: Session, body: commands.ShopIn, principal: Principal, settings: Settings) -> Result:
    require_group_admin(principal, "creating a shop")
    return 201, serialize.shop(staff.create_shop(session, body, settings.timezone))


@api("GET", S, "One shop", response=answers.ShopOut)
def get_shop(ctx: Ctx) -> Result:
    return 200, serialize.shop(ctx.shop)


@api("GET", S + "/advisors", "Service advisors", response=list[answers.AdvisorOut])
def list_advisors(ctx: Ctx) -> Result:
    return 200, [serialize.advisor(a) for a in staff.advisors(ctx)]


@api("POST", S + "/advisors", "Add a service advisor", body=commands.AdvisorIn, roles=ADMIN, response=answers.AdvisorOut)
def add_advisor(ctx: Ctx, body: commands.AdvisorIn) -> Result:
    return 201, serialize.advisor(staff.add_advisor(ctx, body))


@api("PATCH", S + "/advisors/{advisor_id:int}", "Change an advisor (shift, presence)", body=commands.AdvisorPatch, roles=ADVISORS,
     response=answers.AdvisorOut)
def patch_advisor(ctx: Ctx, body: commands.AdvisorPatch, advisor_id: int) -> Result:
    return 200, serialize.advisor(staff.update_advisor(ctx, advisor_id, body))


@api("GET", S + "/technicians", "Technicians", response=list[answers.TechnicianOut])
def list_technicians(ctx: Ctx) -> Result:
    return 200, [serialize.technician(t) for t in staff.technicians(ctx)]


@api("POST", S + "/technicians", "Add a technician", body=commands.TechnicianIn, roles=ADMIN, response=answers.TechnicianOut)
def add_technician(ctx: Ctx, body: commands.TechnicianIn) -> Result:
    return 201, serialize.technician(staff.add_technician(ctx, body))


@api("PATCH", S + "/technicians/{tech_id:int}", "Change a technician (skills, shift, presence)", body=commands.TechnicianPatch, roles=FOREMEN,
     response=answers.TechnicianOut)
def patch_technician(ctx: Ctx, body: commands.TechnicianPatch, tech_id: int) -> Result:
    return 200, serialize.technician(staff.update_technician(ctx, tech_id, body))


@api("GET", S + "/bays", "Bays", response=list[answers.BayOut])
def list_bays(ctx: Ctx) -> Result:
    return 200, [serialize.bay(b) for b in staff.bays(ctx)]


@api("POST", S + "/bays", "Add a bay", body=commands.BayIn, roles=ADMIN, response=answers.BayOut)
def add_bay(ctx: Ctx, body: commands.BayIn) -> Result:
    return 201, serialize.bay(staff.add_bay(ctx, body))


@api("GET", S + "/targets", "The shop's KPI targets (standards) the summary is held against, and which way each is better", roles=ADMIN,
     response=answers.Targets)
def get_targets(ctx: Ctx) -> Result:
    return 200, targets.serialize(ctx)


@api("PATCH", S + "/targets", "Change the shop's KPI targets (rates as shares: 0.95 is 95 %)", body=commands.TargetsPatch, roles=ADMIN,
     response=answers.Targets)
def patch_targets(ctx: Ctx, body: commands.TargetsPatch) -> Result:
    targets.update(ctx, body)
    return 200, targets.serialize(ctx)


# -- appointments and the appointment board -------------------------------------------------


@api("GET", S + "/slots", "Free booking slots of a day for a service type", query=schemas.SlotsQuery, response=list[answers.SlotOut])
def list_slots(ctx: Ctx, query: schemas.SlotsQuery) -> Result:
    return 200, [s.as_dict() for s in appointments.day_slots(ctx, query.day, query.service_type)]


@api("GET", S + "/appointments", "Bookings of a day (default today)", query=schemas.DayQuery, response=list[answers.AppointmentOut])
def list_appointments(ctx: Ctx, query: schemas.DayQuery) -> Result:
    day = query.day or ctx.today
    return 200, [serialize.appointment(ctx, a, appointments.state_of(ctx, a)) for a in appointments.for_day(ctx, day)]


@api("POST", S + "/appointments", "Book an appointment (a full slot is refused with the nearest free ones)", body=commands.BookingIn, roles=ADVISORS,
     response=answers.AppointmentOut)
def book(ctx: Ctx, body: commands.BookingIn) -> Result:
    appt = appointments.book(ctx, body)
    return 201, serialize.appointment(ctx, appt, appointments.state_of(ctx, appt))


@api("GET", S + "/appointments/{appt_id:int}", "One booking", response=answers.AppointmentOut)
def get_appointment(ctx: Ctx, appt_id: int) -> Result:
    appt = ctx.get(Appointment, appt_id, "appointment")
    return 200, serialize.appointment(ctx, appt, appointments.state_of(ctx, appt))


@api("PATCH", S + "/appointments/{appt_id:int}", "Move or change a booking", body=commands.BookingPatch, roles=ADVISORS,
     response=answers.AppointmentOut)
def patch_appointment(ctx: Ctx, body: commands.BookingPatch, appt_id: int) -> Result:
    appt = appointments.reschedule(ctx, appt_id, body)
    return 200, serialize.appointment(ctx, appt, appointments.state_of(ctx, appt))


@api("POST", S + "/appointments/{appt_id:int}/cancel", "Cancel a booking", body=commands.VersionedAction, roles=ADVISORS,
     response=answers.AppointmentOut)
def cancel_appointment(ctx: Ctx, body: commands.VersionedAction, appt_id: int) -> Result:
    appt = appointments.cancel(ctx, appt_id, body)
    return 200, serialize.appointment(ctx, appt, appointments.state_of(ctx, appt))


@api("POST", S + "/appointments/{appt_id:int}/arrive", "Mark a booked car arrived", body=commands.VersionedAction, roles=FRONT_DESK,
     response=answers.AppointmentOut)
def arrive(ctx: Ctx, body: commands.VersionedAction, appt_id: int) -> Result:
    appt = appointments.arrive(ctx, appt_id, body)
    return 200, serialize.appointment(ctx, appt, appointments.state_of(ctx, appt))


@api("POST", S + "/appointments/import", "Import bookings from a DMS CSV export (all rows or none; at most BOARD_MAX_IMPORT_ROWS rows)",
     raw_body="text/csv", prepare=lambda text, settings: csv_import.read_upload(text, settings.max_import_rows), roles=ADVISORS,
     response=answers.ImportOut)
def import_appointments(ctx: Ctx, body: csv_import.Upload) -> Result:
    imported = csv_import.import_rows(ctx, body)
    return 201, {"imported": len(imported), "ids": imported}


@api("GET", S + "/appointment-board", "The appointment board of a day (default today)", query=schemas.DayQuery, response=answers.DayBoard)
def appointment_board(ctx: Ctx, query: schemas.DayQuery) -> Result:
    day = query.day or ctx.today
    return 200, day_view(ctx, day)


@api("POST", S + "/rollover", "Morning roll-over now (duty advisor): today's bookings to arriving today", roles=ADVISORS,
     response=answers.RolloverOut)
def run_rollover(ctx: Ctx) -> Result:
    return 200, rollover.run_rollover(ctx, "manual").as_dict(ctx.zone)


@api("GET", S + "/preparations", "Day-before preparation checklist (default tomorrow)", query=schemas.DayQuery,
     response=list[answers.PreparationOut])
def list_preparations(ctx: Ctx, query: schemas.DayQuery) -> Result:
    day = query.day or ctx.today + timedelta(days=1)
    return 200, [serialize.preparation(ctx, a, p) for a, p in preparations.for_day(ctx, day)]


@api("POST", S + "/preparations/plan", "Reserve technicians and bays for a day's bookings (default tomorrow)", query=schemas.DayQuery, roles=ADVISORS,
     response=list[answers.PreparationOut])
def plan_preparations(ctx: Ctx, query: schemas.DayQuery) -> Result:
    day = query.day or ctx.today + timedelta(days=1)
    return 200, [serialize.preparation(ctx, a, p) for a, p in preparations.plan_day(ctx, day)]


@api("PATCH", S + "/preparations/{appt_id:int}", "Update or tick off a booking's preparation", body=commands.PreparationPatch, roles=ADVISORS,
     response=answers.PreparationOut)
def patch_preparation(ctx: Ctx, body: commands.PreparationPatch, appt_id: int) -> Result:
    prep = preparations.update(ctx, appt_id, body)
    return 200, serialize.preparation(ctx, ctx.get(Appointment, appt_id, "appointment"), prep)


# -- repair orders and jobs -----------------------------------------------------------------


@api("GET", S + "/repair-orders", "Repair orders", response=list[answers.RepairOrderOut])
def list_orders(ctx: Ctx) -> Result:
    return 200, [serialize.repair_order(ctx, ro) for ro in repair_orders.orders(ctx)]


@api("POST", S + "/repair-orders", "Open a repair order (from a booking or a walk-in) with its job lines", body=commands.RepairOrderIn, roles=ADVISORS,
     response=answers.RepairOrderOut)
def open_order(ctx: Ctx, body: commands.RepairOrderIn) -> Result:
    return 201, serialize.repair_order(ctx, repair_orders.open_order(ctx, body))


@api("GET", S + "/repair-orders/{ro_id:int}", "One repair order with its jobs", response=answers.RepairOrderOut)
def get_order(ctx: Ctx, ro_id: int) -> Result:
    return 200, serialize.repair_order(ctx, ctx.get(RepairOrder, ro_id, "repair order"))


@api("POST", S + "/repair-orders/{ro_id:int}/jobs", "Add a job line (e.g. approved additional work)", body=commands.JobIn, roles=ORDERS,
     response=answers.JobOut)
def add_job(ctx: Ctx, body: commands.JobIn, ro_id: int) -> Result:
    return 201, serialize.job(ctx, repair_orders.add_job(ctx, ctx.get(RepairOrder, ro_id, "repair order"), body))


@api("GET", S + "/jobs", "Jobs, optionally of one stage", query=schemas.JobsQuery, response=list[answers.JobOut])
def list_jobs(ctx: Ctx, query: schemas.JobsQuery) -> Result:
    stage = None
    if query.stage:
        try:
            stage = Stage(query.stage)
        except ValueError as exc:
            raise InvalidInput.one("stage", f"must be one of {', '.join(s.value for s in Stage)}") from exc
    return 200, [serialize.job(ctx, j) for j in repair_orders.jobs(ctx, stage)]


@api("GET", S + "/jobs/{job_id:int}", "One job", response=answers.JobOut)
def get_job(ctx: Ctx, job_id: int) -> Result:
    return 200, serialize.job(ctx, ctx.get(Job, job_id, "job"))


@api("PATCH", S + "/jobs/{job_id:int}", "Change a job line (hours, parts, priority)", body=commands.JobPatch, roles=ORDERS,
     response=answers.JobOut)
def patch_job(ctx: Ctx, body: commands.JobPatch, job_id: int) -> Result:
    return 200, serialize.job(ctx, repair_orders.update_job(ctx, job_id, body))


@api("POST", S + "/jobs/{job_id:int}/transitions", "Move a job to its next stage", body=commands.TransitionIn, roles=JOB_MOVERS,
     response=answers.JobOut)
def move_job(ctx: Ctx, body: commands.TransitionIn, job_id: int) -> Result:
    require(ctx.asker, ACTION_ROLES[body.action], ctx.shop.id, f"'{body.action.value}'")
    require_own_job(ctx.asker, ctx.get(Job, job_id, "job").technician_id)
    return 200, serialize.job(ctx, dispatch.move(ctx, job_id, body))


@api("GET", S + "/jobs/{job_id:int}/card", "The technician's card: the customer's words, operations, parts and their arrival, "
     "the walk-round's marks, the car's last visits and declined work, a high-voltage warning", roles=WORKSHOP, response=answers.JobCardOut)
def technicians_card(ctx: Ctx, job_id: int) -> Result:
    require_own_job(ctx.asker, ctx.get(Job, job_id, "job").technician_id)
    return 200, job_card.card(ctx, job_id)


@api("POST", S + "/jobs/{job_id:int}/lines/{line_id:int}", "The technician ticks an operation of his card done (or takes it back)",
     body=commands.LineDoneIn, roles=WORKSHOP, response=answers.JobOut)
def tick_line(ctx: Ctx, body: commands.LineDoneIn, job_id: int, line_id: int) -> Result:
    require_own_job(ctx.asker, ctx.get(Job, job_id, "job").technician_id)
    return 200, serialize.job(ctx, repair_orders.tick_line(ctx, job_id, line_id, body))


# -- arrivals: the greeter, the gate camera, the reception clock ----------------------------


@api("POST", S + "/arrivals/match", "Match a typed or read plate to today's bookings (changes nothing)", body=commands.MatchIn, roles=FRONT_DESK,
     response=answers.PlateMatch)
def match_plate(ctx: Ctx, body: commands.MatchIn) -> Result:
    result, rows = arrivals.match_reading(ctx, body.plate, body.model)
    return 200, arrivals.describe(result, rows)


@api("POST", S + "/arrivals", "Confirm a booked car has arrived, or register a walk-in: starts the reception clock", body=commands.ArrivalIn, roles=FRONT_DESK,
     response=answers.ArrivalOut)
def add_arrival(ctx: Ctx, body: commands.ArrivalIn) -> Result:
    if body.walk_in == (body.appointment_id is not None):
        raise InvalidInput.one("appointment_id", "give the booking's appointment_id, or walk_in: true with the plate")
    if body.walk_in:
        if not body.plate:
            raise InvalidInput.one("plate", "a walk-in needs the plate")
        return 201, serialize.arrival(ctx, arrivals.walk_in(ctx, body.plate, body.model))
    assert body.appointment_id is not None
    return 201, serialize.arrival(ctx, arrivals.confirm(ctx, body.appointment_id))


@api("GET", S + "/arrivals", "Arrivals of a day with their reception clocks (default today)", query=schemas.DayQuery,
     response=list[answers.ArrivalOut])
def list_arrivals(ctx: Ctx, query: schemas.DayQuery) -> Result:
    return 200, [serialize.arrival(ctx, a) for a in arrivals.for_day(ctx, query.day or ctx.today)]


@api("POST", S + "/arrivals/{arrival_id:int}/received", "The advisor has received the customer: stops the clock", body=commands.ReceivedIn, roles=ADVISORS,
     response=answers.ArrivalOut)
def receive_arrival(ctx: Ctx, body: commands.ReceivedIn, arrival_id: int) -> Result:
    return 200, serialize.arrival(ctx, arrivals.receive(ctx, arrival_id, body.version, body.advisor_id))


@api("POST", S + "/arrivals/{arrival_id:int}/undo", "Take back a wrong confirmation (logged with its reason)", body=commands.UndoIn, roles=FRONT_DESK,
     response=answers.ArrivalOut)
def undo_arrival(ctx: Ctx, body: commands.UndoIn, arrival_id: int) -> Result:
    return 200, serialize.arrival(ctx, arrivals.undo(ctx, arrival_id, body.version, body.reason))


@api("GET", S + "/welcome", "Today's booked arrivals for public screens: masked, nothing personal", response=answers.WelcomeBoard)
def welcome(ctx: Ctx) -> Result:
    return 200, welcome_board(ctx)


@api("GET", S + "/tokens", "Kiosk tokens of the wall displays and the gate cameras (never the tokens themselves)", roles=ADMIN,
     response=answers.TokensOut)
def list_tokens(ctx: Ctx) -> Result:
    return 200, tokens.list_tokens(ctx)


@api("POST", S + "/tokens", "Issue a kiosk token for one wall display (reception, welcome or workshop); shown once", body=commands.DisplayTokenIn, roles=ADMIN,
     response=answers.IssuedDisplayToken)
def add_display_token(ctx: Ctx, body: commands.DisplayTokenIn) -> Result:
    row, token = tokens.add_display_token(ctx, body)
    return 201, {**tokens.serialize(row), "token": token, "url": f"/shops/{ctx.shop.code}/{row.board}?kiosk=1&token={token}"}


@api("POST", S + "/tokens/{token_id:int}/revoke", "Revoke a display's kiosk token: its screen goes dark within a heartbeat", roles=ADMIN,
     response=answers.DisplayTokenOut)
def revoke_display_token(ctx: Ctx, token_id: int) -> Result:
    return 200, tokens.serialize(tokens.revoke_display_token(ctx, token_id))


@api("POST", S + "/cameras/{camera_id:int}/revoke", "Revoke a gate camera's token", roles=ADMIN, response=answers.RevokedCamera)
def revoke_camera(ctx: Ctx, camera_id: int) -> Result:
    camera = tokens.revoke_camera(ctx, camera_id)
    return 200, {"id": camera.id, "name": camera.name, "active": camera.active}


@api("POST", S + "/cameras", "Register a gate camera; its token is shown once", body=commands.CameraIn, roles=ADMIN,
     response=answers.NewCamera)
def add_camera(ctx: Ctx, body: commands.CameraIn) -> Result:
    camera, token = cameras.add_camera(ctx, body)
    return 201, {"id": camera.id, "name": camera.name, "min_confidence": camera.min_confidence, "token": token}


@api("GET", S + "/camera/suggestions", "Recent camera reads left for the greeter to settle", response=list[answers.CameraSuggestion])
def camera_suggestions(ctx: Ctx) -> Result:
    return 200, cameras.suggestions(ctx)


@api("POST", "/api/camera/reads", "A gate camera's plate read (Authorization: Bearer <camera token>)", body=commands.CameraReadIn,
     shop_scoped=False, camera_auth=True, response=answers.CameraReadOut)
def camera_read(ctx: Ctx, body: commands.CameraReadIn, camera: Camera) -> Result:
    new, answer = cameras.take_read(ctx, camera, body)
    return (201 if new else 200), {**answer, "repeat": not new}


# -- dispatch: the foreman's console, the technician's clock --------------------------------


@api("GET", S + "/dispatch/plan", "Suggested plan: technician, bay, times and reasons for every open job", response=answers.DispatchPlan)
def dispatch_plan(ctx: Ctx) -> Result:
    return 200, plan_store.suggestions(ctx)


@api("POST", S + "/dispatch/assign", "Assign or reassign a job (against the suggestion: reason required, counted)", body=commands.AssignIn, roles=FOREMEN,
     response=answers.JobOut)
def dispatch_assign(ctx: Ctx, body: commands.AssignIn) -> Result:
    return 200, serialize.job(ctx, dispatch.assign(ctx, body))


@api("POST", S + "/dispatch/accept", "Accept the whole suggested plan (all or nothing)", body=commands.AcceptIn, roles=FOREMEN,
     response=answers.AcceptedPlan)
def dispatch_accept(ctx: Ctx, body: commands.AcceptIn) -> Result:
    return 200, {"assigned": [serialize.job(ctx, j) for j in dispatch.accept(ctx, body)]}


@api("POST", S + "/jobs/{job_id:int}/clock-on", "The technician starts or resumes the job (clocks off his other job)", body=commands.ClockOnIn, roles=WORKSHOP,
     response=answers.JobOut)
def clock_on(ctx: Ctx, body: commands.ClockOnIn, job_id: int) -> Result:
    require_own_job(ctx.asker, ctx.get(Job, job_id, "job").technician_id)
    return 200, serialize.job(ctx, dispatch.clock_on(ctx, job_id, body.version))


@api("POST", S + "/jobs/{job_id:int}/clock-off", "The technician stops work on the job, with a reason", body=commands.ClockOffIn, roles=WORKSHOP,
     response=answers.JobOut)
def clock_off(ctx: Ctx, body: commands.ClockOffIn, job_id: int) -> Result:
    require_own_job(ctx.asker, ctx.get(Job, job_id, "job").technician_id)
    return 200, serialize.job(ctx, dispatch.clock_off(ctx, job_id, body))


@api("POST", S + "/repair-orders/{ro_id:int}/waiting-area", "The foreman sends a stopped car from its bay to the waiting area (待修区): "
     "the bay is free for another car", body=commands.WaitingAreaIn, roles=FOREMEN, response=answers.RepairOrderOut)
def to_waiting_area(ctx: Ctx, body: commands.WaitingAreaIn, ro_id: int) -> Result:
    return 200, serialize.repair_order(ctx, dispatch.to_waiting_area(ctx, ro_id, body))


@api("POST", S + "/alerts/{alert_id:int}/answer", "The advisor answers a promise the plan will miss: she called the customer, "
     "or gave him a new promise", body=commands.AlertAnswerIn, roles=ADVISORS, response=answers.PromiseAlertOut)
def answer_alert(ctx: Ctx, body: commands.AlertAnswerIn, alert_id: int) -> Result:
    alert = promise_alerts.answer(ctx, alert_id, body)
    return 200, promise_alerts.serialize(ctx, alert, ctx.get(RepairOrder, alert.repair_order_id, "repair order"))


# -- people ---------------------------------------------------------------------------------


@api("GET", S + "/users", "People who sign in to this shop (and the group's admins)", roles=ADMIN, response=list[answers.UserOut])
def list_users(ctx: Ctx) -> Result:
    return 200, [users.serialize(u) for u in users.shop_users(ctx)]


@api("POST", S + "/users", "Add a person who signs in (technicians and advisors name their staff record)", body=commands.UserIn, roles=ADMIN,
     response=answers.UserOut)
def add_user(ctx: Ctx, body: commands.UserIn) -> Result:
    return 201, users.serialize(users.add_user(ctx, body))


@api("PATCH", S + "/users/{user_id:int}", "Change a person's name, role or password, or disable the account (ends their sessions)",
     body=commands.UserPatch, roles=ADMIN, response=answers.UserOut)
def patch_user(ctx: Ctx, body: commands.UserPatch, user_id: int) -> Result:
    return 200, users.serialize(users.update_user(ctx, user_id, body))


# -- the event log --------------------------------------------------------------------------


@api("GET", S + "/events", "The event log, oldest first, after an id", query=schemas.EventsQuery, roles=ORDERS,
     response=list[answers.EventOut])
def list_events(ctx: Ctx, query: schemas.EventsQuery) -> Result:
    stmt = select(Event).where(Event.shop_id == ctx.shop.id, Event.id > query.after)
    if query.entity:
        stmt = stmt.where(Event.entity == query.entity)
    rows = ctx.session.scalars(stmt.order_by(Event.id).limit(query.limit))
    return 200, [serialize.event(ctx, e) for e in rows]


# -- reports and the follow-up calls ----------------------------------------------------------


@api("GET", S + "/reports/day", "The day's KPIs (default today): shop, per advisor, per technician", query=schemas.ReportQuery,
     response=kpis.Summary)
def report_day(ctx: Ctx, query: schemas.ReportQuery) -> Result:
    return 200, reports.day_summary(ctx, query.day or ctx.today).as_dict()


@api("GET", S + "/reports/day.csv", "The day's KPIs as CSV, one figure per row", query=schemas.ReportQuery,
     response=str, media_type="text/csv")
def report_day_csv(ctx: Ctx, query: schemas.ReportQuery) -> Result:
    day = query.day or ctx.today
    text = kpis.csv_text([reports.day_summary(ctx, day)])
    return 200, Response(text, media_type="text/csv; charset=utf-8",
                         headers={"Content-Disposition": f'attachment; filename="board-{ctx.shop.code}-{day.isoformat()}.csv"'})


@api("GET", S + "/reports/trend", "One summary per day for the last N days (default 30), oldest first", query=schemas.TrendQuery,
     response=list[kpis.Summary])
def report_trend(ctx: Ctx, query: schemas.TrendQuery) -> Result:
    return 200, [s.as_dict() for s in reports.trend(ctx, query.day or ctx.today, query.days)]


@api("GET", S + "/follow-ups", "Customers to call within three days of delivery (from the day after; overdue later), open complaints, "
     "the complaint rate (advisors: it lists phones)", query=schemas.ReportQuery, response=answers.FollowUps, roles=ADVISORS)
def list_follow_ups(ctx: Ctx, query: schemas.ReportQuery) -> Result:
    return 200, follow_ups.follow_up_list(ctx, query.day or ctx.today)


@api("POST", S + "/follow-ups", "Record a follow-up call's outcome (satisfied / unreachable / complaint)", body=commands.FollowUpIn, roles=ADVISORS,
     response=answers.FollowUpCall)
def record_follow_up(ctx: Ctx, body: commands.FollowUpIn) -> Result:
    return 201, follow_ups.serialize_call(ctx, follow_ups.record_call(ctx, body))


@api("POST", S + "/follow-ups/{call_id:int}/close", "Close a complaint with its resolution", body=commands.ComplaintClose, roles=ADVISORS,
     response=answers.FollowUpCall)
def close_complaint(ctx: Ctx, body: commands.ComplaintClose, call_id: int) -> Result:
    return 200, follow_ups.serialize_call(ctx, follow_ups.close_complaint(ctx, call_id, body))
