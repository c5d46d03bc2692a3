"""The words of the parts screens: key -> (zh, en)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # on the foreman's console and the workshop board too
    "parts.eta": ("备件预计 {t} 到", "parts due {t}"),
    "parts.held": ("等待备件到货", "held for parts"),
    "parts.held_no_lines": ("等待备件到货：尚未登记备件", "held for parts: no part entered yet"),
    "parts.count.held": ("等备件作业", "Jobs held for parts"),
    "parts.eta_short": ("备件 {t} 到", "parts {t}"),
    "parts.eta_overdue": ("备件逾期 {t}", "parts overdue {t}"),
    # the parts desk
    "parts.jobs": ("在修作业", "Jobs in the workshop"),
    "parts.bookings": ("预约备料", "Bookings to prepare"),
    "parts.today": ("今天", "Today"),
    "parts.tomorrow": ("明天", "Tomorrow"),
    "parts.todo_only": ("只看待处理", "To do only"),
    "parts.show_all": ("显示全部", "Show all"),
    "parts.take_menu": ("按套餐备料", "Take the menu's parts"),
    "parts.menu": ("套餐", "Menu"),
    "parts.add": ("添加备件", "Add a part"),
    "parts.part_no": ("零件号", "Part no."),
    "parts.name": ("名称", "Name"),
    "parts.qty": ("数量", "Qty"),
    "parts.pick": ("领料", "Picked"),
    "parts.order": ("订货", "Order"),
    "parts.reorder": ("改到货时间", "New arrival time"),
    "parts.arrive": ("已到货", "Arrived"),
    "parts.remove": ("删除", "Remove"),
    "parts.order_title": ("订货：{part}", "Order: {part}"),
    "parts.expected": ("预计到货（日期、时间）", "Expected arrival (day, time)"),
    "parts.unknown": ("到货时间未定", "Arrival not known yet"),
    "parts.none": ("无备件记录", "No parts recorded"),
    "parts.nothing": ("没有需要处理的备件", "Nothing to do"),
    "parts.from_booking": ("预约备料", "prepared for the booking"),
    "parts.planned": ("计划 {t} 开工", "planned {t}"),
    "parts.count.needed": ("待备", "needed"),
    "parts.count.ordered": ("已订货", "ordered"),
    "parts.count.overdue": ("逾期", "overdue"),
    "parts.ordered_ok": ("已订货 {part}，预计 {t} 到", "Ordered {part}, due {t}"),
}
