"""The words on screen: every stored value has its own, in both languages, in one catalogue."""

import re

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


HALF_WIDTH = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])\s*[,:;!?()]|[,:;!?()]\s*(?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])")


def test_chinese_words_use_full_width_punctuation():
    """"等待备件,预计 10:30 到" reads as a slip to a Chinese reader: marks beside Chinese are full
    width (，：；！？（）); a time's colon between digits stays as it is."""
    wrong = {key: w["zh"] for key, w in catalogue().items() if HALF_WIDTH.search(w["zh"])}
    assert wrong == {}
    assert not HALF_WIDTH.search("预计 10:30 到货（{t}）")
    assert HALF_WIDTH.search("等待备件,预计 {t} 到")
