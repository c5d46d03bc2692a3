"""The job stage machine, in one table, and each step's road and rules beside it.

Rules:
- waiting dispatch → dispatched (a technician is named) → in progress ⇄ stopped (a reason is
  required: waiting parts / waiting customer approval / other) → quality check;
- a failed quality check sends the card back to its technician (dispatched) and is counted: he
  clocks on again when he is free, like any card;
- quality check passed → wash → ready for delivery → delivered;
- a dispatched job may be taken back (unassigned) before work starts.
Any other move is illegal and raises ``IllegalMove`` with a sentence saying why.

Every step has one road, its route, where its rules are kept (``STEPS``): the generic
``POST /jobs/{id}/transitions`` takes only the steps whose road it is or that it sends down their
own road (a clock-on or clock-off); it refuses the others and names their road.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from board.domain.vocab import Stage, StopReason
from board.errors import IllegalMove, InvalidInput


class Action(StrEnum):
    DISPATCH = "dispatch"
    UNASSIGN = "unassign"
    START = "start"
    STOP = "stop"
    RESUME = "resume"
    FINISH = "finish"
    QC_PASS = "qc_pass"
    QC_FAIL = "qc_fail"
    WASH_DONE = "wash_done"
    DELIVER = "deliver"


ACTION_LABELS: dict[Action, tuple[str, str]] = {
    Action.DISPATCH: ("派工", "dispatch"),
    Action.UNASSIGN: ("取消派工", "unassign"),
    Action.START: ("开工", "start work"),
    Action.STOP: ("中断", "stop"),
    Action.RESUME: ("恢复维修", "resume"),
    Action.FINISH: ("完工送检", "finish and send to quality check"),
    Action.QC_PASS: ("质检合格", "pass quality check"),
    Action.QC_FAIL: ("质检不合格", "fail quality check"),
    Action.WASH_DONE: ("洗车完成", "finish washing"),
    Action.DELIVER: ("交车", "deliver"),
}

TRANSITIONS: dict[tuple[Stage, Action], Stage] = {
    (Stage.WAITING_DISPATCH, Action.DISPATCH): Stage.DISPATCHED,
    (Stage.DISPATCHED, Action.UNASSIGN): Stage.WAITING_DISPATCH,
    (Stage.DISPATCHED, Action.START): Stage.IN_PROGRESS,
    (Stage.IN_PROGRESS, Action.STOP): Stage.STOPPED,
    (Stage.STOPPED, Action.RESUME): Stage.IN_PROGRESS,
    (Stage.IN_PROGRESS, Action.FINISH): Stage.QUALITY_CHECK,
    (Stage.QUALITY_CHECK, Action.QC_PASS): Stage.WASH,
    (Stage.QUALITY_CHECK, Action.QC_FAIL): Stage.DISPATCHED,
    (Stage.WASH, Action.WASH_DONE): Stage.READY,
    (Stage.READY, Action.DELIVER): Stage.DELIVERED,
}


# A technician is on a card from a move that puts it in progress until one that takes it out: the
# clock the KPIs, the boards and the technicians' pace read from the event log.
CLOCK_CLOSES = (Action.STOP.value, Action.FINISH.value, Action.UNASSIGN.value)
CLOCK_MOVES = (Action.START.value, Action.RESUME.value, Action.QC_FAIL.value, *CLOCK_CLOSES)


def clock_opens(action: str, after: Mapping[str, object] | None) -> bool:
    """Does this logged move put a technician on the card? Start and resume do; a failed check did
    until 2026-12 (it sent the card straight back to work; now back to its technician's queue)."""
    return action in (Action.START.value, Action.RESUME.value) or (
        action == Action.QC_FAIL.value and (after or {}).get("stage") == Stage.IN_PROGRESS.value)


@dataclass(frozen=True)
class Step:
    """One step's road (its route under /api/shops/{shop}/) and what must hold for it, in words."""

    road: str
    needs: tuple[tuple[str, str], ...]  # (zh, en)
    generic: bool  # POST /jobs/{id}/transitions takes it (through this road's own service)


STEPS: dict[Action, Step] = {
    Action.DISPATCH: Step("dispatch/assign", (("指定技师", "a technician named"),), generic=True),
    Action.UNASSIGN: Step("jobs/{job}/transitions", (("尚未开工", "not started yet"),), generic=True),
    Action.START: Step("jobs/{job}/clock-on", (("他手上的其他作业先中断", "his other card in progress stops first"),
                                               ("车辆进入一个空闲的对应工位(或它所在的工位)", "the car goes up in a free bay of its kind, or stays in its own")),
                       generic=True),
    Action.RESUME: Step("jobs/{job}/clock-on", (("他手上的其他作业先中断", "his other card in progress stops first"),
                                                ("车辆进入一个空闲的对应工位(或它所在的工位)", "the car goes up in a free bay of its kind, or stays in its own")),
                        generic=True),
    Action.STOP: Step("jobs/{job}/clock-off", (("说明原因", "a reason"), ("车辆留在工位上(调度可移至待修区)",
                                                                       "the car stays in its bay (the foreman may move it to the waiting area)")),
                      generic=True),
    Action.FINISH: Step("jobs/{job}/self-check", (("作业项目全部完成", "every operation done"), ("自检清单逐项勾选", "every self-check item ticked")),
                        generic=False),
    Action.QC_PASS: Step("jobs/{job}/quality-check", (("终检清单逐项勾选", "every item of the inspector's list ticked"),), generic=False),
    Action.QC_FAIL: Step("jobs/{job}/quality-check", (("说明退回原因", "the reason it goes back"),), generic=False),
    Action.WASH_DONE: Step("repair-orders/{order}/wash-done", (("整车:没有作业仍在车间", "the whole car: no card still in the workshop"),),
                           generic=False),
    Action.DELIVER: Step("repair-orders/{order}/hand-over", (("每项作业待交车", "every card ready"), ("结算金额,关闭委托书", "the amount paid, the order closed")),
                         generic=False),
}


def generic_road(action: Action, shop: str, job_id: int, order_id: int) -> None:
    """Refuse a step on the generic road when it has a road of its own with rules, naming it."""
    step = STEPS[action]
    if step.generic:
        return
    road = f"/api/shops/{shop}/" + step.road.replace("{job}", str(job_id)).replace("{order}", str(order_id))
    zh = "、".join(z for z, _ in step.needs)
    en = "; ".join(e for _, e in step.needs)
    raise IllegalMove(f"'{ACTION_LABELS[action][1]}' has its own step with its rules ({en}): POST {road}.",
                      f"「{ACTION_LABELS[action][0]}」须走其自身流程({zh}):POST {road}。")


@dataclass(frozen=True)
class Move:
    before: Stage
    action: Action
    after: Stage
    stop_reason: StopReason | None


def allowed_actions(stage: Stage) -> list[Action]:
    return [action for (source, action) in TRANSITIONS if source == stage]


def move(stage: Stage, action: Action, stop_reason: StopReason | None = None, has_technician: bool = False) -> Move:
    """Check one move against the table; return what it does or raise ``IllegalMove``."""
    target = TRANSITIONS.get((stage, action))
    if target is None:
        legal = allowed_actions(stage)
        en_legal = ", ".join(ACTION_LABELS[a][1] for a in legal) or "nothing (the job is finished)"
        zh_legal = "、".join(ACTION_LABELS[a][0] for a in legal) or "无(作业已结束)"
        raise IllegalMove(
            f"A job that is '{stage.en}' cannot {ACTION_LABELS[action][1]}; from here it can: {en_legal}.",
            f"「{stage.zh}」状态的作业不能「{ACTION_LABELS[action][0]}」;此时可以:{zh_legal}。",
        )
    if action is Action.STOP and stop_reason is None:
        raise InvalidInput.one("reason", "stopping a job needs a reason: parts, approval or other")
    if action is Action.DISPATCH and not has_technician:
        raise InvalidInput.one("technician_id", "dispatching a job needs a technician")
    return Move(
        before=stage,
        action=action,
        after=target,
        stop_reason=stop_reason if action is Action.STOP else None,
    )
