"""The demo shop: a GAC-Toyota-like dealer in Guangzhou, its people, bays and customers."""

from __future__ import annotations

from board import commands
from board.domain.vocab import BayKind, ServiceType, Skill, Team

SHOP = commands.ShopIn(code="gz-demo", name="广汽丰田 示范店 GAC Toyota Demo")

ADVISORS = ["陈静", "李明", "黄伟", "张敏", "刘洋"]

M, E, A, B, P = Skill.MAINTENANCE, Skill.ELECTRICAL, Skill.ALIGNMENT, Skill.BODY, Skill.PAINT
TECHNICIANS: list[tuple[str, Team, dict[Skill, int], str, str]] = [
    ("赵强", Team.MECH_ELEC, {M: 3, E: 3, Skill.MECHANICAL: 3}, "08:00", "17:30"),
    ("钱磊", Team.MECH_ELEC, {M: 3, E: 2, Skill.MECHANICAL: 2}, "08:00", "17:30"),
    ("孙浩", Team.MECH_ELEC, {M: 2, E: 1, A: 2}, "08:00", "17:30"),
    ("李军", Team.MECH_ELEC, {M: 2, E: 3}, "09:00", "18:00"),
    ("周斌", Team.MECH_ELEC, {M: 1, Skill.MECHANICAL: 1}, "08:00", "17:30"),
    ("吴凯", Team.MECH_ELEC, {M: 1}, "09:00", "18:00"),
    ("郑涛", Team.MECH_ELEC, {M: 2, A: 3, Skill.MECHANICAL: 2}, "08:00", "17:30"),
    ("王鹏", Team.MECH_ELEC, {M: 1, E: 1}, "08:00", "17:30"),
    ("冯刚", Team.BODY_PAINT, {B: 3, P: 1}, "08:00", "17:30"),
    ("陈亮", Team.BODY_PAINT, {B: 2}, "08:00", "17:30"),
    ("褚华", Team.BODY_PAINT, {P: 3}, "08:00", "17:30"),
    ("卫东", Team.BODY_PAINT, {P: 2, B: 1}, "09:00", "18:00"),
]

# Each man's pace against the standard hours (the demo finishes his jobs at about this multiple,
# so the foreman's console has real speeds to show: 赵强 maintenance 0.8×).
PACE = {"赵强": 0.75, "钱磊": 0.85, "李军": 0.9, "郑涛": 0.9, "周斌": 1.25, "吴凯": 1.35, "王鹏": 1.2, "冯刚": 0.85, "陈亮": 1.15}

# More lifts and express bays than mechanics (ten for eight): a car stopped for parts or for the
# customer's answer keeps its lift until its work is done, so a shop runs about one and a quarter
# per man; and one bay of each other kind.
BAYS: list[tuple[str, BayKind]] = [
    ("1号举升机", BayKind.GENERAL_LIFT), ("2号举升机", BayKind.GENERAL_LIFT), ("3号举升机", BayKind.GENERAL_LIFT),
    ("4号举升机", BayKind.GENERAL_LIFT), ("5号举升机", BayKind.GENERAL_LIFT), ("6号举升机", BayKind.GENERAL_LIFT),
    ("7号举升机", BayKind.GENERAL_LIFT), ("8号举升机", BayKind.GENERAL_LIFT),
    ("快保1", BayKind.QUICK_SERVICE), ("快保2", BayKind.QUICK_SERVICE),
    ("四轮定位", BayKind.ALIGNMENT), ("钣金1", BayKind.BODY), ("烤漆房", BayKind.PAINT_BOOTH), ("洗车位", BayKind.WASH),
]

MODELS = ["凯美瑞 Camry", "雷凌 Levin", "汉兰达 Highlander", "威兰达 Wildlander", "C-HR", "致炫 Yaris L",
          "赛那 Sienna", "bZ4X", "锋兰达 Frontlander", "凌尚 Allion"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "志强", "丽", "海燕"]
# Given names a Chinese reader takes for a woman's: 马芳 is 女士, never 先生.
FEMALE_GIVEN = frozenset({"芳", "娜", "敏", "静", "艳", "娟", "秀英", "丽", "海燕"})
# Guangdong plate offices: Guangzhou, Shenzhen, Zhuhai, Foshan, Dongguan, Zhongshan.
OFFICES = "AABBCESTT"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

# The work a booking of each kind brings: operation, skill, level, hours, bay kind.
WORK: dict[ServiceType, list[tuple[str, Skill, int, float, BayKind]]] = {
    ServiceType.QUICK: [("快速保养 Quick service", M, 1, 0.5, BayKind.QUICK_SERVICE)],
    ServiceType.MAINTENANCE: [
        ("定期保养 Periodic maintenance", M, 1, 1.0, BayKind.QUICK_SERVICE),  # express bays take the maintenance menus (up on a lift when they are full)
        ("空调滤芯更换 Cabin filter", M, 1, 0.3, BayKind.QUICK_SERVICE),
    ],
    ServiceType.REPAIR: [("故障诊断与维修 Diagnosis and repair", E, 2, 2.0, BayKind.GENERAL_LIFT)],
    ServiceType.BODY_PAINT: [
        ("钣金修复 Body repair", B, 2, 3.0, BayKind.BODY),
        ("喷漆 Paint", P, 2, 2.5, BayKind.PAINT_BOOTH),
    ],
}

# The shop's service menus (保养套餐): what the advisor picks at reception.
MENUS = [
    {"code": "QS", "name": "快速保养 Quick service", "service_type": "quick", "interval_months": 6, "interval_km": 5000,
     "jobs": [{"operation": "更换机油机滤 Oil and filter", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"}],
     "parts": [{"part_no": "04152-YZZA6", "name": "机油滤清器 Oil filter", "qty": 1, "unit_price": 45},
               {"part_no": "08880-83718", "name": "机油 0W-20 (升) Oil, litre", "qty": 4, "unit_price": 68}]},
    {"code": "M10K", "name": "10000 公里保养 10,000 km service", "service_type": "maintenance", "interval_months": 12, "interval_km": 10000,
     "jobs": [{"operation": "更换机油机滤 Oil and filter", "skill": "maintenance", "level": 1, "est_hours": 0.5, "bay_kind": "quick_service"},
              {"operation": "更换空调滤芯 Cabin filter", "skill": "maintenance", "level": 1, "est_hours": 0.3, "bay_kind": "quick_service"},
              {"operation": "全车检查 Inspection", "skill": "maintenance", "level": 2, "est_hours": 0.5, "bay_kind": "quick_service"}],
     "parts": [{"part_no": "04152-YZZA6", "name": "机油滤清器 Oil filter", "qty": 1, "unit_price": 45},
               {"part_no": "08880-83718", "name": "机油 0W-20 (升) Oil, litre", "qty": 4, "unit_price": 68},
               {"part_no": "87139-0E040", "name": "空调滤芯 Cabin filter", "qty": 1, "unit_price": 120}]},
    {"code": "BRK", "name": "更换前刹车片 Front brake pads", "service_type": "repair", "interval_months": 24,
     "jobs": [{"operation": "更换前刹车片 Front brake pads", "skill": "mechanical", "level": 1, "est_hours": 1.0, "bay_kind": "general_lift"}],
     "parts": [{"part_no": "04465-33471", "name": "前刹车片 Front pads", "qty": 1, "unit_price": 560}]},
    {"code": "ALN", "name": "四轮定位 Wheel alignment", "service_type": "repair",
     "jobs": [{"operation": "四轮定位 Wheel alignment", "skill": "alignment", "level": 1, "est_hours": 1.0, "bay_kind": "alignment"}],
     "parts": []},
]
