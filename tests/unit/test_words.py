"""The words on screen: every stored value has its own, in both languages, in one catalogue."""

from board.domain.vocab import LABELS, AppointmentStatus, BayKind, Labelled, PartsStatus, ServiceType, Skill, Stage
from board.i18n import catalogue


def test_equal_values_of_two_kinds_keep_their_own_words():
    assert AppointmentStatus.ARRIVED.zh == "已到店" and PartsStatus.ARRIVED.zh == "已到货"
    assert Skill.MAINTENANCE.zh == "保养" and ServiceType.MAINTENANCE.zh == "定期保养"
    assert Stage.WASH.en == "Wash" and BayKind.WASH.zh == "洗车工位"


def test_every_stored_value_has_words_in_both_languages():
    kinds = [k for k in Labelled.__subclasses__()]
    assert all((k, v.value) in LABELS for k in kinds for v in k)
    words = catalogue()
    assert words["appointmentstatus.arrived"] == {"zh": "已到店", "en": "Arrived"}
    assert words["stage.waiting_dispatch"]["zh"] == "等待派工"
    assert all(w["zh"] and w["en"] for w in words.values())
