"""The morning roll-over and the end-of-day no-show sweep, each safe to run any number of times.

The roll-over runs at the shop's configured time (default 07:30), when the duty advisor asks,
and at start-up if the server was down when it was due. A ``DayRun`` row per shop and day
makes the automatic run happen once even with several server processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select

from board.context import Ctx
from board.db.models import Appointment, DayRun
from board.domain.appointment_board import no_show_due, rollover_due
from board.domain.vocab import AppointmentStatus, BoardColumn

ROLLOVER = "rollover"


@dataclass(frozen=True)
class RolloverResult:
    day: date
    moved: list[int]
    first_run_at: datetime
    trigger: str
    already_done: bool

    def as_dict(self, zone: object) -> dict[str, object]:
        return {
            "day": self.day.isoformat(),
            "moved": self.moved,
            "moved_count": len(self.moved),
            "trigger": self.trigger,
            "already_done": self.already_done,
            "first_run_at": self.first_run_at.astimezone(zone).isoformat(),  # type: ignore[arg-type]
        }


def _day_run(ctx: Ctx, day: date, kind: str) -> DayRun | None:
    return ctx.session.scalar(select(DayRun).where(DayRun.shop_id == ctx.shop.id, DayRun.day == day, DayRun.kind == kind))


def rollover_done(ctx: Ctx, day: date) -> bool:
    return _day_run(ctx, day, ROLLOVER) is not None


def run_rollover(ctx: Ctx, trigger: str) -> RolloverResult:
    """Move today's bookings from *booked the day before* to *arriving today*."""
    day = ctx.today
    run = _day_run(ctx, day, ROLLOVER)
    already = run is not None
    if run is None:
        # Two processes racing here: the unique (shop, day, kind) key makes the loser's
        # transaction fail as a whole; its caller retries and then finds the roll-over done.
        run = DayRun(shop_id=ctx.shop.id, day=day, kind=ROLLOVER, run_at=ctx.now, trigger=trigger)
        ctx.session.add(run)
        ctx.session.flush()
    cards = ctx.session.scalars(
        select(Appointment).where(
            Appointment.shop_id == ctx.shop.id,
            Appointment.day == day,
            Appointment.column == BoardColumn.DAY_BEFORE,
            Appointment.status != AppointmentStatus.CANCELLED,
        )
    ).all()
    for appt in cards:
        appt.column = BoardColumn.TODAY
        appt.rolled_over_at = ctx.now
        ctx.record(
            "appointment",
            appt.id,
            "rolled_over",
            {"column": BoardColumn.DAY_BEFORE.value},
            {"column": BoardColumn.TODAY.value},
            reason=trigger,
        )
    ctx.session.flush()
    return RolloverResult(day, [a.id for a in cards], run.run_at, trigger, already and not cards)


def sweep_no_shows(ctx: Ctx) -> list[int]:
    """Bookings still waiting when their day has closed become no-shows."""
    today = ctx.today
    closed_today = no_show_due(today, ctx.now_local, ctx.shop.closes_at)
    past = Appointment.day < today
    when = or_(past, Appointment.day == today) if closed_today else past
    missed = ctx.session.scalars(
        select(Appointment).where(and_(Appointment.shop_id == ctx.shop.id, Appointment.status == AppointmentStatus.BOOKED, when))
    ).all()
    for appt in missed:
        appt.status = AppointmentStatus.NO_SHOW
        ctx.record("appointment", appt.id, "no_show", {"status": "booked"}, {"status": "no_show"})
    ctx.session.flush()
    return [a.id for a in missed]


def run_due(ctx: Ctx, trigger: str) -> dict[str, object]:
    """Whatever daily work is due now: called by the scheduler, and once at start-up (catch-up)."""
    done: dict[str, object] = {}
    if rollover_due(ctx.now_local, ctx.settings.rollover_time) and not rollover_done(ctx, ctx.today):
        done["rollover"] = run_rollover(ctx, trigger).moved
    no_shows = sweep_no_shows(ctx)
    if no_shows:
        done["no_show"] = no_shows
    return done
