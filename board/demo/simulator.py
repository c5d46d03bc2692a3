"""Moves the demo shop's day forward: cars arrive, orders are written, jobs go through the stages.

A stand-in for the people in the shop, so the boards keep moving. Its own dispatch is the
simplest that works (first free technician with the skill); the real dispatcher is board.dispatch.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from board import commands
from board.clock import FixedClock
from board.commands_quality import HandOverIn, InspectionIn, SelfCheckIn, WashDoneIn
from board.context import Ctx
from board.db.models import Appointment, Finding, Job, RepairOrder, Technician
from board.demo import shop_data as data
from board.demo.seed import person, plate
from board.dispatch import plan_store
from board.dispatch import service as dispatch
from board.dispatch.model import Plan
from board.domain.stages import Action
from board.domain.vocab import (
    AppointmentStatus,
    BayKind,
    FindingStatus,
    PartLineStatus,
    PartsStatus,
    PriorityClass,
    ServiceType,
    Skill,
    Stage,
    StopReason,
)
from board.errors import BoardError
from board.services import appointments, arrivals, findings, handover, parts_desk, quality, repair_orders, staff, wash
from board.services.finding_commands import DecisionIn, FindingIn, PriceIn
from board.services.rollover import run_due
from board.unit import UnitOfWork

log = logging.getLogger("board.demo")
ACTOR = "demo-sim"
# Why the inspector sends a job back, now and then.
# What technicians find (their words), and how the advisor prices it: operation, hours, parts (¥).
FINDS = (("前刹车片磨损至 2 mm Front brake pads worn to 2 mm", "更换前刹车片 Front brake pads", Skill.MECHANICAL, BayKind.GENERAL_LIFT, 1.0, 420.0),
         ("空调滤芯发黑 Cabin filter black", "更换空调滤芯 Cabin filter", Skill.MAINTENANCE, BayKind.QUICK_SERVICE, 0.3, 120.0),
         ("雨刮胶条老化 Wiper blades perished", "更换雨刮 Wiper blades", Skill.MAINTENANCE, BayKind.QUICK_SERVICE, 0.2, 160.0))
# A part the card turns out to need and the shop does not stock: ordered, on the afternoon van.
MISSING_PART = ("90915-YZZD4", "机油滤清器(缺货) Oil filter, out of stock", 48.0)
FOREMAN_LOOKS = timedelta(minutes=5)  # how often the simulated foreman reads the plan
QC_FAILS = ("机油滤清器处渗油 Oil weeping at the filter", "保养灯未复位 Service light not reset", "路试有异响 Noise on the road test")


@dataclass
class Simulator:
    uow: UnitOfWork
    clock: FixedClock
    shop_code: str
    rng: random.Random = field(default_factory=lambda: random.Random(4))
    since: dict[int, datetime] = field(default_factory=dict)  # job id → when it entered its stage
    reworked: bool = False
    finds: dict[int, bool] = field(default_factory=dict)  # job -> finds something to stop for (decided once)
    inspector_free: datetime = datetime.min.replace(tzinfo=timezone.utc)
    finding_since: dict[int, datetime] = field(default_factory=dict)  # finding id → when it last moved
    wash_free: datetime = datetime.min.replace(tzinfo=timezone.utc)
    plan_seen: tuple[datetime, Plan] | None = None  # when the foreman last read the plan, and what it said

    def step(self, minutes: float = 1.0) -> None:
        self.clock.advance(timedelta(minutes=minutes))
        with self.uow.shop(self.shop_code, ACTOR) as ctx:
            run_due(ctx, "schedule")
            self._arrivals(ctx)
            self._receptions(ctx)
            self._walk_ins(ctx)
            self._jobs(ctx)
            self._findings(ctx)

    def _pace(self, ctx: Ctx, job: Job) -> float:
        tech = ctx.session.get(Technician, job.technician_id) if job.technician_id else None
        return data.PACE.get(tech.name, 1.0) if tech else 1.0

    # -- arrivals and orders --------------------------------------------------------------

    def _arrival_offset(self, appt_id: int) -> float | None:
        """Minutes after the slot this booking's car turns up; None for a no-show."""
        r = random.Random(appt_id * 7919)
        if r.random() < 0.08:
            return None
        if r.random() < 0.12:
            return r.uniform(35, 70)
        return r.gauss(-3, 8)

    def _arrivals(self, ctx: Ctx) -> None:
        for appt in appointments.for_day(ctx, ctx.today):
            if appt.status is not AppointmentStatus.BOOKED:
                continue
            offset = self._arrival_offset(appt.id)
            due = datetime.combine(appt.day, appt.slot_start) + timedelta(minutes=offset or 0)
            if offset is not None and ctx.now_local >= due:
                appointments.mark_arrived(ctx, appt)

    def _receptions(self, ctx: Ctx) -> None:
        """An advisor meets each car within a few minutes (not always within five), then writes the order."""
        for arrival in arrivals.for_day(ctx, ctx.today):
            if arrival.received_at is not None or arrival.undone_at is not None or arrival.appointment_id is None:
                continue
            target = random.Random(arrival.id * 31).uniform(1.0, 7.0)
            if (ctx.now - arrival.arrived_at).total_seconds() / 60 >= target:
                appt = ctx.session.get(Appointment, arrival.appointment_id)
                assert appt is not None
                # A person at a console may have received the customer or written the order already:
                # the simulator takes what people did as it is and goes on.
                try:
                    arrivals.receive(ctx, arrival.id, arrival.version, appt.advisor_id)
                except BoardError as exc:
                    log.info("demo reception skipped: %s", exc.message, extra={"arrival": arrival.id})
                self._open_order(ctx, appt)

    def _open_order(self, ctx: Ctx, appt: Appointment) -> None:
        if ctx.session.scalar(select(RepairOrder.id).where(RepairOrder.appointment_id == appt.id)) is not None:
            return  # someone at the advisor's console wrote it
        work = data.WORK[appt.service_type]
        hours = sum(w[3] for w in work)
        promised = ctx.now_local + timedelta(hours=hours + 2.5)  # the advisor allows for the queue, QC and wash
        promised = promised.replace(minute=promised.minute // 10 * 10, second=0, microsecond=0)
        body = commands.RepairOrderIn(
            appointment_id=appt.id,
            promised_at=promised,
            customer_waiting=appt.service_type is ServiceType.QUICK or self.rng.random() < 0.2,
            jobs=[self._job(w) for w in work],
        )
        try:
            repair_orders.open_order(ctx, body)
        except BoardError as exc:
            log.info("demo repair order skipped: %s", exc.message, extra={"appointment": appt.id})

    def _job(self, work: tuple) -> commands.JobIn:  # type: ignore[type-arg]
        operation, skill, level, hours, bay = work
        parts = PartsStatus.ORDERED if self.rng.random() < 0.2 else PartsStatus.NONE_NEEDED
        return commands.JobIn(operation=operation, skill=skill, level=level, est_hours=hours, bay_kind=bay, parts_status=parts)

    def _walk_ins(self, ctx: Ctx) -> None:
        hour = ctx.now_local.hour
        if not 8 <= hour < 16 or self.rng.random() > 1 / 30:
            return
        if not self.reworked and hour >= 10:
            self._rework(ctx)
            return
        name, title = person(self.rng)
        service = self.rng.choice([ServiceType.QUICK, ServiceType.MAINTENANCE, ServiceType.REPAIR])
        work = data.WORK[service]
        advisor = self.rng.choice([a for a in staff.advisors(ctx) if a.present])
        car, model = plate(self.rng), self.rng.choice(data.MODELS)
        came = arrivals.walk_in(ctx, car, model)  # the greeter registers it at the door
        arrivals.receive(ctx, came.id, came.version, advisor.id)
        body = commands.RepairOrderIn(
            plate=car, model=model, customer_name=name, title=title,
            phone=f"13{self.rng.randint(100000000, 999999999)}", advisor_id=advisor.id,
            promised_at=ctx.now_local + timedelta(hours=sum(w[3] for w in work) + 3),
            customer_waiting=self.rng.random() < 0.4, jobs=[self._job(w) for w in work],
        )
        repair_orders.open_order(ctx, body)

    def _rework(self, ctx: Ctx) -> None:
        """A customer comes back: the work done earlier was not right."""
        earlier = [ro for ro in repair_orders.orders(ctx) if all(j.stage is Stage.DELIVERED for j in ro.jobs) and ro.jobs]
        if not earlier:
            return
        first = earlier[0]
        body = commands.RepairOrderIn(
            plate=first.vehicle.plate_typed, model=first.vehicle.model, customer_name=first.customer.name,
            title=first.customer.title, phone=first.customer.phone, advisor_id=first.advisor_id,
            promised_at=ctx.now_local + timedelta(hours=2), customer_waiting=True, rework_of_id=first.id,
            note="返修:客户反映保养后仍有异响 Comeback: noise after service",
            jobs=[commands.JobIn(operation="返修检查 Rework check", skill=data.M, level=2, est_hours=1.0, bay_kind=data.WORK[ServiceType.MAINTENANCE][0][4])],
        )
        repair_orders.open_order(ctx, body)
        self.reworked = True

    # -- jobs ----------------------------------------------------------------------------

    def _minutes_in_stage(self, ctx: Ctx, job: Job) -> float:
        since = self.since.setdefault(job.id, ctx.now)
        return (ctx.now - since).total_seconds() / 60

    def _move(self, ctx: Ctx, job: Job, action: Action, **extra: object) -> None:
        body = commands.TransitionIn(action=action, version=job.version, **extra)  # type: ignore[arg-type]
        try:
            repair_orders.transition(ctx, job.id, body)
        except BoardError as exc:
            log.info("demo move refused: %s", exc.message, extra={"job": job.id})
            return
        self.since[job.id] = ctx.now

    def _jobs(self, ctx: Ctx) -> None:
        jobs = repair_orders.jobs(ctx)
        # A technician has at most one job waiting for him beside the one he is working on. The foreman
        # looks at the plan every few minutes, not at every change.
        if any(j.stage is Stage.WAITING_DISPATCH for j in jobs) and (self.plan_seen is None or ctx.now - self.plan_seen[0] >= FOREMAN_LOOKS):
            self.plan_seen = (ctx.now, plan_store.shown(ctx).plan)
        suggested = self.plan_seen[1] if self.plan_seen is not None else None
        busy = {j.technician_id for j in jobs if j.stage is Stage.DISPATCHED}
        working = {j.technician_id for j in jobs if j.stage is Stage.IN_PROGRESS}
        for job in sorted(jobs, key=lambda j: (list(PriorityClass).index(j.priority), j.id)):
            waited = self._minutes_in_stage(ctx, job)
            if job.stage is Stage.WAITING_DISPATCH:
                if job.parts_status is PartsStatus.ORDERED:
                    if waited > 90:  # the parts van comes from the regional warehouse
                        repair_orders.update_job(ctx, job.id, commands.JobPatch(version=job.version, parts_status=PartsStatus.ARRIVED))
                    continue
                # The foreman follows the dispatcher, handing out each technician's next job as he comes free.
                slot = suggested.slot(job.id) if suggested is not None else None
                if slot is not None and slot.tech_id not in busy and slot.start <= ctx.now_local + timedelta(minutes=20):
                    try:
                        dispatch.assign(ctx, commands.AssignIn(job_id=job.id, version=job.version, technician_id=slot.tech_id))
                    except BoardError as exc:
                        log.info("demo assignment refused: %s", exc.message, extra={"job": job.id})
                        continue
                    self.since[job.id] = ctx.now
                    busy.add(slot.tech_id)
            elif (job.stage is Stage.DISPATCHED and job.technician_id not in working and waited >= 3
                  and (job.planned_start is None or ctx.now >= job.planned_start)):
                self._step(ctx, job, dispatch.clock_on, ctx, job.id, job.version)  # the car goes up in its bay
                if self.since.get(job.id) == ctx.now:  # it went
                    working.add(job.technician_id)
            elif job.stage is Stage.IN_PROGRESS:
                finds = self.finds.setdefault(job.id, self.rng.random() < 0.3)
                if finds and waited >= job.est_hours * 18:
                    # About one job in three finds something: parts to order or extra work to approve.
                    self.finds[job.id] = False
                    if job.id % 2:  # a part it needs is out of stock: ordered, the card stops for it (the car stays on the lift)
                        self._order_missing_part(ctx, job)
                    else:  # extra work: the job waits while the advisor prices it and the customer answers
                        self._step(ctx, job, findings.report, ctx, FindingIn(job_id=job.id, text=FINDS[job.id % len(FINDS)][0]))
                elif waited >= job.est_hours * 60 * self._pace(ctx, job) * self.rng.uniform(0.95, 1.2):
                    items = [i.key for i in quality.own_list(job)]
                    self._step(ctx, job, quality.self_check, ctx, job.id, SelfCheckIn(version=job.version, items=items, lines=[ln.id for ln in job.lines]))
            elif (job.stage is Stage.STOPPED and job.stop_reason is StopReason.PARTS and waited >= 10 and job.repair_order.bay_id is not None
                  and not any(j.stage is Stage.IN_PROGRESS for j in job.repair_order.jobs)):
                # The foreman frees the lift of a car waiting for parts: it waits in the waiting area (待修区).
                self._step(ctx, job, dispatch.to_waiting_area, ctx, job.repair_order_id,
                           commands.WaitingAreaIn(version=job.repair_order.version, reason="等待备件 waiting for parts"))
            elif (job.stage is Stage.STOPPED and job.technician_id not in working
                  and waited >= (150 if job.stop_reason is StopReason.PARTS else 45)):
                # Parts come on the afternoon van from the regional warehouse; customers answer sooner. He
                # goes back to it once he is free of the card in his hands.
                if job.stop_reason is StopReason.PARTS:
                    self._parts_arrived(ctx, job)
                self._step(ctx, job, dispatch.clock_on, ctx, job.id, job.version)
                if self.since.get(job.id) == ctx.now:
                    working.add(job.technician_id)
            elif job.stage is Stage.QUALITY_CHECK and waited >= 5 and ctx.now >= self.inspector_free:
                # One inspector: a car at a time, about 10 minutes each; the others queue.
                fails = self.rng.random() < 0.08
                verdict = (InspectionIn(version=job.version, passed=False, reason=QC_FAILS[job.id % len(QC_FAILS)]) if fails else
                           InspectionIn(version=job.version, passed=True, items=[i.key for i in quality.final_list(job)]))
                self._step(ctx, job, quality.inspect, ctx, job.id, verdict)
                self.inspector_free = ctx.now + timedelta(minutes=10)
            elif job.stage is Stage.WASH and waited >= 10 and ctx.now >= self.wash_free and self._out_of_the_workshop(job):
                # One wash bay, about 12 minutes a car: the car is washed once all its jobs are out of the workshop.
                versions = {str(j.id): j.version for j in job.repair_order.jobs if j.stage is Stage.WASH}
                self._step(ctx, job, wash.wash_done, ctx, job.repair_order_id, WashDoneIn(versions=versions))
                self.wash_free = ctx.now + timedelta(minutes=12)
            elif job.stage is Stage.READY and self._order_ready(job) and waited >= 10:
                promised = job.repair_order.promised_at
                if ctx.now >= promised - timedelta(minutes=15) or waited >= 30:
                    # The advisor hands the car over: every job delivered, the order closed at the amount of its bill.
                    self._step(ctx, job, handover.hand_over, ctx, job.repair_order_id, HandOverIn(version=job.repair_order.version))

    def _findings(self, ctx: Ctx) -> None:
        """The advisor prices what was found within about ten minutes; the customer answers on the
        phone about twenty minutes later, yes three times in four."""
        for f in ctx.session.scalars(select(Finding).where(Finding.shop_id == ctx.shop.id,
                                                           Finding.status.in_([FindingStatus.REPORTED, FindingStatus.PRICED]))):
            waited = (ctx.now - self.finding_since.setdefault(f.id, ctx.now)).total_seconds() / 60
            try:
                if f.status is FindingStatus.REPORTED and waited >= 10:
                    _text, operation, skill, bay_kind, hours, parts = FINDS[(f.job_id or 0) % len(FINDS)]
                    findings.price(ctx, f.id, PriceIn(version=f.version, operation=operation, skill=skill, level=1,
                                                      est_hours=hours, bay_kind=bay_kind, parts_price=parts))
                    self.finding_since[f.id] = ctx.now
                elif f.status is FindingStatus.PRICED and waited >= 20:
                    answer = DecisionIn(version=f.version, decision="decline" if f.id % 4 == 3 else "approve", note="电话确认 by phone")
                    findings.decide_by_phone(ctx, f.id, answer)
            except BoardError as exc:
                log.info("demo finding step refused: %s", exc.message, extra={"finding": f.id})

    def _order_missing_part(self, ctx: Ctx, job: Job) -> None:
        """The technician stops for a part the desk has to order; the desk orders it for the afternoon van."""
        part_no, name, price = MISSING_PART
        try:
            line = parts_desk.add_line(ctx, parts_desk.PartLineIn(job_id=job.id, part_no=part_no, name=name, unit_price=price))
            parts_desk.move(ctx, line.id, "order", line.version, ctx.now_local + timedelta(minutes=150))
        except BoardError as exc:
            log.info("demo part order refused: %s", exc.message, extra={"job": job.id})
            return
        self._move(ctx, job, Action.STOP, reason=StopReason.PARTS, note=f"等待备件 waiting for {name}")

    def _parts_arrived(self, ctx: Ctx, job: Job) -> None:
        for line in parts_desk.lines_of_job(ctx, job):
            if line.status is PartLineStatus.ORDERED:
                try:
                    parts_desk.move(ctx, line.id, "arrive", line.version)
                except BoardError as exc:
                    log.info("demo part arrival refused: %s", exc.message, extra={"job": job.id})

    def _step(self, ctx: Ctx, job: Job, act: Callable[..., object], *args: object) -> None:
        """A step of the three-level check, the wash or the hand-over, as the people at those screens take it."""
        before = {j.id: j.stage for j in job.repair_order.jobs}
        try:
            act(*args)
        except BoardError as exc:
            log.info("demo step refused: %s", exc.message, extra={"job": job.id})
            return
        for j in job.repair_order.jobs:
            if j.stage is not before.get(j.id):
                self.since[j.id] = ctx.now

    @staticmethod
    def _out_of_the_workshop(job: Job) -> bool:
        return all(j.stage in (Stage.WASH, Stage.READY, Stage.DELIVERED) for j in job.repair_order.jobs)

    @staticmethod
    def _order_ready(job: Job) -> bool:
        """A car leaves when every line of its order is ready."""
        return all(j.stage in (Stage.READY, Stage.DELIVERED) for j in job.repair_order.jobs)

