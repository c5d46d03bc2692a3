"""The three-level check's lists, as rules: every kind of job has its own; nothing off the list is taken."""

import pytest

from board.domain import checklists
from board.domain.vocab import Skill
from board.errors import InvalidInput


def test_every_kind_of_job_has_a_self_check_and_the_inspector_checks_it_and_every_car_more():
    for skill in Skill:
        own, final = checklists.self_check(skill), checklists.final_check(skill)
        assert own and final[: len(own)] == own and final[len(own):] == checklists.EVERY_CAR
        assert len({i.key for i in final}) == len(final)  # no item twice
        assert all(i.zh and i.en for i in final)


def test_a_list_is_stored_with_what_was_ticked_and_what_was_not():
    items = checklists.self_check(Skill.ELECTRICAL)
    stored = checklists.ticked(items, ["codes_cleared", "function_tested"])
    assert stored[:2] == [{"item": "codes_cleared", "ok": True}, {"item": "function_tested", "ok": True}]
    assert checklists.missing(stored) == ["connectors", "no_warning_lights"]


def test_an_item_off_the_list_is_refused_not_ignored():
    with pytest.raises(InvalidInput, match="oil_level"):
        checklists.ticked(checklists.self_check(Skill.PAINT), ["colour_match", "oil_level"])


def test_every_item_must_be_ticked_and_the_missing_ones_are_named_in_both_languages():
    items = checklists.self_check(Skill.BODY)
    with pytest.raises(InvalidInput) as refused:
        checklists.require_all(items, checklists.ticked(items, ["gaps", "doors_lids", "seals"]))
    reason = refused.value.problems[0].reason
    assert "Lights work" in reason and "灯光工作正常" in reason and "Panel gaps" not in reason
    checklists.require_all(items, checklists.ticked(items, [i.key for i in items]))
