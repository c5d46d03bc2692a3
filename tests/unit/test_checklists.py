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


def test_an_operation_is_known_by_the_words_that_name_it_on_an_order():
    assert checklists.kind_of("更换机油机滤 Oil and filter") == "oil_change"
    assert checklists.kind_of("更换前刹车片 Front brake pads") == "brakes"
    assert checklists.kind_of("更换空调滤芯 Cabin filter") == "filter"
    assert checklists.kind_of("全车检查 Inspection") == "inspection"
    assert checklists.kind_of("故障诊断与维修 Diagnosis and repair") == ""


def test_a_brake_card_is_never_asked_for_the_oil_level_even_when_a_maintenance_man_priced_it():
    brakes = checklists.final_check(Skill.MAINTENANCE, ["brakes"])
    keys = [i.key for i in brakes]
    assert "oil_level" not in keys and "service_light" not in keys
    assert {"pads_seated", "pedal_firm", "brake_test"} <= set(keys) and keys[-3:] == [i.key for i in checklists.EVERY_CAR]


def test_a_service_card_brings_the_checks_of_each_of_its_operations_once():
    kinds = [checklists.kind_of(op) for op in ("更换机油机滤 Oil and filter", "更换空调滤芯 Cabin filter", "全车检查 Inspection")]
    own = checklists.self_check(Skill.MAINTENANCE, kinds)
    keys = [i.key for i in own]
    assert len(keys) == len(set(keys))  # tyre pressures asked once, though two operations bring it
    assert {"oil_level", "filter_fitted", "fluids", "lights"} <= set(keys)
    assert "torque" not in keys  # nothing of the brakes


def test_an_operation_of_no_known_kind_brings_its_skills_list():
    assert checklists.self_check(Skill.ELECTRICAL, [""]) == checklists.SELF[Skill.ELECTRICAL]
    assert checklists.self_check(Skill.PAINT, []) == checklists.SELF[Skill.PAINT]
