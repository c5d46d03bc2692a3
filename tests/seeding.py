"""Seeding past visits through the services the screens use (a helper for tests that need history)."""

from __future__ import annotations

from board import commands
from board.commands_quality import HandOverIn, InspectionIn, SelfCheckIn, WashDoneIn
from board.context import Ctx
from board.db.models import RepairOrder
from board.dispatch import service as dispatch
from board.domain.stages import Action
from board.services import handover, quality, repair_orders, wash


def delivered(ctx: Ctx, ro: RepairOrder, technician_id: int) -> None:
    """Every card of the order dispatched to the technician, clocked on, self-checked, passed; the car
    washed and handed over (its order closed)."""
    for job in ro.jobs:
        repair_orders.transition(ctx, job.id, commands.TransitionIn(action=Action.DISPATCH, version=job.version, technician_id=technician_id))
        dispatch.clock_on(ctx, job.id, job.version)
        quality.self_check(ctx, job.id, SelfCheckIn(version=job.version, items=[i.key for i in quality.own_list(job)],
                                                    lines=[line.id for line in job.lines]))
        quality.inspect(ctx, job.id, InspectionIn(version=job.version, passed=True, items=[i.key for i in quality.final_list(job)]))
    wash.wash_done(ctx, ro.id, WashDoneIn(versions={str(j.id): j.version for j in ro.jobs}))
    handover.hand_over(ctx, ro.id, HandOverIn(version=ro.version))
