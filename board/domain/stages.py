"""The job stage machine, in one table.

Rules:
- waiting dispatch → dispatched (a technician is named) → in progress ⇄ stopped (a reason is
  required: waiting parts / waiting customer approval / other) → quality check;
- a failed quality check sends the job back to in progress and is counted;
- quality check passed → wash → ready for delivery → delivered;
- a dispatched job may be taken back (unassigned) before work starts.
Any other move is illegal and raises ``IllegalMove`` with a sentence saying why.
"""

from __future__ import annotations

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
    (Stage.QUALITY_CHECK, Action.QC_FAIL): Stage.IN_PROGRESS,
    (Stage.WASH, Action.WASH_DONE): Stage.READY,
    (Stage.READY, Action.DELIVER): Stage.DELIVERED,
}


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
