"""The job stage machine: the legal path of a job, and refusals that explain themselves."""

import pytest

from board.domain.stages import STEPS, Action, allowed_actions, clock_opens, generic_road, move
from board.domain.vocab import Stage, StopReason
from board.errors import IllegalMove, InvalidInput

S = Stage
A = Action

# Written out by hand from the workshop process, not read from the table under test.
LEGAL = [
    (S.WAITING_DISPATCH, A.DISPATCH, S.DISPATCHED),
    (S.DISPATCHED, A.UNASSIGN, S.WAITING_DISPATCH),
    (S.DISPATCHED, A.START, S.IN_PROGRESS),
    (S.IN_PROGRESS, A.STOP, S.STOPPED),
    (S.STOPPED, A.RESUME, S.IN_PROGRESS),
    (S.IN_PROGRESS, A.FINISH, S.QUALITY_CHECK),
    (S.QUALITY_CHECK, A.QC_PASS, S.WASH),
    (S.QUALITY_CHECK, A.QC_FAIL, S.DISPATCHED),  # back to its technician's queue: he clocks on when he is free
    (S.WASH, A.WASH_DONE, S.READY),
    (S.READY, A.DELIVER, S.DELIVERED),
]


@pytest.mark.parametrize(("before", "action", "after"), LEGAL)
def test_legal_moves(before, action, after):
    step = move(before, action, StopReason.PARTS, has_technician=True)
    assert step.after is after


ILLEGAL = [(s, a) for s in Stage for a in Action if (s, a) not in {(b, act) for b, act, _ in LEGAL}]


@pytest.mark.parametrize(("before", "action"), ILLEGAL)
def test_every_other_move_is_refused_with_a_sentence(before, action):
    with pytest.raises(IllegalMove) as err:
        move(before, action, StopReason.PARTS, has_technician=True)
    assert before.en in err.value.message
    assert before.zh in err.value.message_zh


def test_refusal_says_what_can_be_done_instead():
    with pytest.raises(IllegalMove) as err:
        move(S.WAITING_DISPATCH, A.START)
    assert "dispatch" in err.value.message
    assert "派工" in err.value.message_zh


def test_a_delivered_job_can_do_nothing_more():
    assert allowed_actions(S.DELIVERED) == []
    with pytest.raises(IllegalMove, match="finished"):
        move(S.DELIVERED, A.START)


def test_stopping_needs_a_reason():
    with pytest.raises(InvalidInput) as err:
        move(S.IN_PROGRESS, A.STOP, None)
    assert err.value.problems[0].field == "reason"


def test_dispatch_needs_a_technician():
    with pytest.raises(InvalidInput) as err:
        move(S.WAITING_DISPATCH, A.DISPATCH, has_technician=False)
    assert err.value.problems[0].field == "technician_id"


def test_a_failed_quality_check_goes_back_to_its_technician_and_a_stop_keeps_its_reason():
    assert move(S.QUALITY_CHECK, A.QC_FAIL).after is S.DISPATCHED
    assert move(S.IN_PROGRESS, A.STOP, StopReason.APPROVAL).stop_reason is StopReason.APPROVAL
    assert move(S.STOPPED, A.RESUME).stop_reason is None


def test_every_step_names_its_road_and_the_generic_road_refuses_those_with_rules_of_their_own():
    assert set(STEPS) == set(Action)
    own = {a for a, step in STEPS.items() if not step.generic}
    assert own == {A.FINISH, A.QC_PASS, A.QC_FAIL, A.WASH_DONE, A.DELIVER}
    for action in own:
        with pytest.raises(IllegalMove) as err:
            generic_road(action, "gz01", 12, 34)
        assert "/api/shops/gz01/" + STEPS[action].road.replace("{job}", "12").replace("{order}", "34") in err.value.message
        assert all(zh in err.value.message_zh for zh, _ in STEPS[action].needs)
    for action in set(Action) - own:
        generic_road(action, "gz01", 12, 34)  # goes through


def test_the_clock_opens_on_a_start_or_a_resume_and_on_an_old_failed_check_that_went_straight_back_to_work():
    assert clock_opens("start", {"stage": "in_progress"}) and clock_opens("resume", None)
    assert clock_opens("qc_fail", {"stage": "in_progress"}) and not clock_opens("qc_fail", {"stage": "dispatched"})
    assert not clock_opens("updated", {"stage": "in_progress"})
