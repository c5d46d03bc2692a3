"""The three-level check (三检): what the technician ticks before his card goes to quality check (自检),
and what the inspector checks there (终检), from the operations on the card. Pure.

Rules:
- each operation brings the checks of its kind (``OPERATIONS``): an oil change the oil level, the
  filter and drain plug, leaks and the service light; brake pads the torque, the pedal and a road
  test; a filter how it is fitted …; an operation of no known kind brings its skill's list
  (electrical work the fault codes and the function; body and paint the gaps and the colour …);
- a card's list is its operations' checks, each once: a brake job is never asked for the oil level;
- the inspector's check is the card's items seen with fresh eyes, then what every car needs
  before it leaves the workshop (the customer's complaint gone, nothing left in the car, no new marks);
- a self-check is done when every item is ticked: a card goes to quality check only then;
- the inspector passes a card with every item ticked; a failure names its reason (sent back to the technician);
- an item that is not on the list is refused, never ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from board.domain.vocab import Skill
from board.errors import FieldProblem, InvalidInput


@dataclass(frozen=True)
class Item:
    key: str
    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "zh": self.zh, "en": self.en}


SELF: dict[Skill, tuple[Item, ...]] = {
    Skill.MAINTENANCE: (
        Item("oil_level", "机油液位正常", "Oil level correct"),
        Item("filter_tight", "机油滤清器、放油螺栓已紧固", "Oil filter and drain plug tight"),
        Item("no_leaks", "无渗漏", "No leaks"),
        Item("fluids", "各油液已检查补足", "Fluids checked and topped up"),
        Item("tyre_pressure", "胎压已调整", "Tyre pressures set"),
        Item("service_light", "保养提示已复位", "Service light reset"),
    ),
    Skill.MECHANICAL: (
        Item("torque", "螺栓按规定力矩紧固", "Bolts torqued to specification"),
        Item("no_leaks", "无渗漏", "No leaks"),
        Item("road_test", "路试正常,无异响", "Road test done, no noise"),
        Item("old_parts", "旧件已留存", "Old parts kept for the customer"),
    ),
    Skill.ELECTRICAL: (
        Item("codes_cleared", "故障码已清除", "Fault codes cleared"),
        Item("function_tested", "功能测试正常", "Function tested"),
        Item("connectors", "插接件、线束已固定", "Connectors and harness secured"),
        Item("no_warning_lights", "仪表无故障灯", "No warning lights on the dash"),
    ),
    Skill.ALIGNMENT: (
        Item("within_spec", "定位数据在标准范围内", "Angles within specification"),
        Item("wheel_centred", "方向盘回正", "Steering wheel centred"),
        Item("drives_straight", "路试不跑偏", "Drives straight on the road test"),
        Item("printout", "定位报告已打印", "Alignment report printed"),
    ),
    Skill.BODY: (
        Item("gaps", "缝隙均匀、面差一致", "Panel gaps even and flush"),
        Item("doors_lids", "门、盖开关顺畅", "Doors and lids open and close freely"),
        Item("seals", "密封条、卡扣复位", "Seals and clips refitted"),
        Item("lights_work", "灯光工作正常", "Lights work"),
    ),
    Skill.PAINT: (
        Item("colour_match", "颜色一致", "Colour matches"),
        Item("finish", "无流挂、颗粒、橘皮", "No runs, dust or orange peel"),
        Item("masking_removed", "遮蔽已清除,无飞漆", "Masking removed, no overspray"),
        Item("polished", "已抛光", "Polished"),
    ),
}

OIL_LEVEL = Item("oil_level", "机油液位正常", "Oil level correct")
NO_LEAKS = Item("no_leaks", "无渗漏", "No leaks")
TORQUE = Item("torque", "螺栓按规定力矩紧固", "Bolts torqued to specification")
TYRE_PRESSURE = Item("tyre_pressure", "胎压已调整", "Tyre pressures set")
OLD_PARTS = Item("old_parts", "旧件已留存", "Old parts kept for the customer")

# Operations by kind: the words that name them on an order (Chinese or English), and their checks.
OPERATIONS: dict[str, tuple[tuple[str, ...], tuple[Item, ...]]] = {
    "oil_change": (("机油", "机滤", "oil"), (
        OIL_LEVEL, Item("filter_tight", "机油滤清器、放油螺栓已紧固", "Oil filter and drain plug tight"), NO_LEAKS,
        Item("service_light", "保养提示已复位", "Service light reset"))),
    "brakes": (("刹车", "制动", "brake"), (
        Item("pads_seated", "刹车片、卡钳安装到位", "Pads and calipers seated"), TORQUE,
        Item("pedal_firm", "制动踏板有力,行程正常", "Brake pedal firm, travel normal"),
        Item("brake_test", "路试制动正常,无异响", "Road test: brakes pull straight, no noise"), OLD_PARTS)),
    "filter": (("滤芯", "滤清器", "filter"), (
        Item("filter_fitted", "滤芯型号正确、方向正确", "Right filter, fitted the right way"),
        Item("housing_closed", "滤芯盖、卡扣复位", "Housing and clips closed"))),
    "tyres": (("轮胎", "换胎", "补胎", "tyre", "tire"), (
        Item("wheel_torque", "轮胎螺栓按规定力矩紧固", "Wheel nuts torqued"), TYRE_PRESSURE,
        Item("tread_ok", "胎面、胎侧无损伤", "Tread and sidewalls undamaged"))),
    "wipers": (("雨刮", "wiper"), (Item("wipers_work", "雨刮刮拭干净、无异响", "Wipers clear the screen, no noise"),)),
    "battery": (("电瓶", "蓄电池", "battery"), (
        Item("terminals_tight", "电瓶桩头紧固", "Battery terminals tight"), Item("charge_ok", "电压、启动正常", "Voltage and cranking correct"))),
    "inspection": (("检查", "检测", "inspection", "check"), (
        Item("fluids", "各油液已检查补足", "Fluids checked and topped up"), TYRE_PRESSURE,
        Item("lights", "灯光、喇叭正常", "Lights and horn work"), Item("report_written", "检查结果已记录", "Findings written down"))),
}


def kind_of(operation: str) -> str:
    """The kind of an operation, by the words naming it ("" when none is known: its skill's list)."""
    text = operation.lower()
    for kind, (words, _items) in OPERATIONS.items():
        if any(w in text for w in words):
            return kind
    return ""


def card_items(skill: Skill, kinds: Iterable[str]) -> tuple[Item, ...]:
    """A card's own checks: each operation's kind's items, each once, in order; an operation of no
    known kind brings its skill's list."""
    out: dict[str, Item] = {}
    for kind in kinds:
        for item in OPERATIONS[kind][1] if kind in OPERATIONS else SELF[skill]:
            out.setdefault(item.key, item)
    return tuple(out.values()) or SELF[skill]


# What every car needs before it leaves the workshop, whatever was done to it.
EVERY_CAR: tuple[Item, ...] = (
    Item("work_done", "委托书项目全部完成,客户故障已排除", "Every line of the order done, the complaint gone"),
    Item("nothing_left", "车内无遗留工具、旧件", "No tools or old parts left in the car"),
    Item("no_new_marks", "车身、内饰无新增损伤和污渍", "No new marks or dirt on the body or inside"),
)


def self_check(skill: Skill, kinds: Iterable[str] = ("",)) -> tuple[Item, ...]:
    """The technician's own check of a card of this skill with operations of these kinds (自检)."""
    return card_items(skill, kinds)


def final_check(skill: Skill, kinds: Iterable[str] = ("",)) -> tuple[Item, ...]:
    """The inspector's check of that card (终检)."""
    own = card_items(skill, kinds)
    return own + tuple(i for i in EVERY_CAR if i not in own)


def ticked(items: tuple[Item, ...], keys: Iterable[str], field: str = "items") -> list[dict[str, object]]:
    """The checklist as stored: each item with whether it was ticked. An item not on the list is refused."""
    chosen = list(keys)
    known = {i.key for i in items}
    unknown = [k for k in chosen if k not in known]
    if unknown:
        raise InvalidInput([FieldProblem(field, f"not on this job's checklist: {', '.join(sorted(set(unknown)))}")])
    return [{"item": i.key, "ok": i.key in chosen} for i in items]


def missing(stored: list[dict[str, object]]) -> list[str]:
    return [str(row["item"]) for row in stored if not row["ok"]]


def require_all(items: tuple[Item, ...], stored: list[dict[str, object]], field: str = "items") -> None:
    """Every item ticked, or a 422 naming those that are not (in the staff's words)."""
    left = set(missing(stored))
    if left:
        names = "、".join(i.zh for i in items if i.key in left)
        raise InvalidInput([FieldProblem(field, f"every item must be ticked; not yet: {', '.join(i.en for i in items if i.key in left)} ({names})")])
