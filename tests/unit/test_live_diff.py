from board.boards.diff import apply, diff
from board.domain.masking import greeting, masked_plate


def test_a_delta_carries_only_changed_and_removed_cards():
    before = {"a1": {"slot": "09:00"}, "a2": {"slot": "10:00"}, "a3": {"slot": "11:00"}}
    after = {"a1": {"slot": "09:00"}, "a2": {"slot": "10:30"}, "a4": {"slot": "12:00"}}
    changes = diff(before, after)
    assert changes == {"set": {"a2": {"slot": "10:30"}, "a4": {"slot": "12:00"}}, "del": ["a3"]}
    assert apply(before, changes) == after


def test_applying_a_delta_twice_changes_nothing_more():
    before = {"a1": 1}
    after = {"a2": 2}
    changes = diff(before, after)
    assert apply(apply(before, changes), changes) == after
    assert diff(after, after) == {}


def test_public_greeting_and_plate_hide_personal_data():
    assert greeting("王伟", "先生") == "王先生"
    assert greeting("欧阳娜娜", "女士") == "欧阳女士"
    assert masked_plate("粤A·12345") == "粤A·1***5"
    assert masked_plate("粤AD12345") == "粤A·D****5"
