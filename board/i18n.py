"""Every word the pages show, in one catalogue: zh-CN first, English beside it.

The shop's stored values (stages, classes, skills ...) keep their words in board/domain/vocab.py
and come in here under ``<kind>.<value>``; the pages' own words are below. The pages get the
whole catalogue as JSON and pick one language (``?lang=en``) or both (the default).
"""

from __future__ import annotations

from board.domain.stages import ACTION_LABELS
from board.domain.vocab import LABELS

LANGUAGES = ("zh", "en")

PAGE_WORDS: dict[str, tuple[str, str]] = {
    # page titles
    "page.reception": ("预约看板", "Appointment board"),
    "page.welcome": ("欢迎光临", "Welcome"),
    "page.workshop": ("车间进度看板", "Job progress board"),
    "page.foreman": ("调度台", "Foreman's console"),
    "page.greeter": ("迎宾登记", "Greeter's console"),
    "page.technician": ("我的作业", "My jobs"),
    "page.advisor": ("服务顾问", "Service advisor"),
    "page.index": ("售后服务看板", "Service board"),
    # status line
    "status.live": ("实时", "Live"),
    "status.offline": ("离线", "Offline"),
    "status.refused": ("未授权:请重新登录或向管理员索取新链接", "Not authorised: sign in again or ask the admin for a new display link"),
    "user.sign_out": ("退出", "Sign out"),
    "status.connecting": ("连接中", "Connecting"),
    "status.updated": ("{n} 秒前更新", "updated {n} s ago"),
    "page.of": ("第 {page}/{pages} 页", "page {page} of {pages}"),
    # appointment board
    "appt.column.day_before": ("一日前预约", "Booked the day before"),
    "appt.column.today": ("当日入厂预定", "Arriving today"),
    "appt.tomorrow": ("明日预约", "Tomorrow's bookings"),
    "appt.late": ("迟到", "Late"),
    "appt.expected": ("待到店", "Expected"),
    "appt.arrivals": ("到店接待", "Arrivals and reception"),
    "appt.walk_in": ("直接入厂", "Walk-in"),
    "appt.waiting_reception": ("等待接待 {m} 分", "waiting {m} min"),
    "appt.received": ("已接待", "Received"),
    "appt.none": ("暂无预约", "No bookings"),
    "appt.counts": ("预约 {total} · 已到 {arrived} · 迟到 {late} · 未到 {no_show}", "{total} booked · {arrived} arrived · {late} late · {no_show} no-show"),
    # welcome
    "welcome.title": ("欢迎光临,今日预约客户", "Welcome, today's booked customers"),
    "welcome.just_arrived": ("欢迎", "Welcome"),
    "welcome.advisor": ("服务顾问 {name}", "advisor {name}"),
    "welcome.arrived": ("已到店", "arrived"),
    # workshop
    "jpcb.waiting": ("等待派工", "Waiting dispatch"),
    "jpcb.now": ("现在", "now"),
    "jpcb.late": ("超时", "late"),
    "jpcb.at_risk": ("临近承诺", "due soon"),
    "jpcb.absent": ("今日不在", "absent today"),
    "jpcb.by_tech": ("按技师", "By technician"),
    "jpcb.by_bay": ("按工位", "By bay"),
    "jpcb.customer_waiting": ("客户在店", "customer waiting"),
    "jpcb.rework": ("返修", "rework"),
    "jpcb.promised": ("承诺 {t}", "promised {t}"),
    # foreman
    "foreman.queue": ("待派工作业", "Jobs to dispatch"),
    "foreman.load": ("技师今日负荷", "Technicians' load today"),
    "foreman.assign": ("派工", "Assign"),
    "foreman.accept_all": ("接受全部建议", "Accept the whole plan"),
    "foreman.replan": ("重新计划", "Re-plan"),
    "foreman.other": ("改派…", "Other…"),
    "foreman.override_reason": ("改派原因", "Reason for overriding"),
    "foreman.suggested": ("建议 {name}", "suggested {name}"),
    "foreman.moves": ("计划调整", "Changes to the plan"),
    "foreman.cannot": ("无法安排", "Cannot be planned"),
    "foreman.nothing": ("没有待派工作业", "Nothing to dispatch"),
    "foreman.hours": ("{h} 小时 / {shift} 小时", "{h} h of {shift} h"),
    "foreman.drag_hint": ("拖到技师上即可派工", "drag onto a technician to assign"),
    "foreman.confirm": ("确认", "Confirm"),
    "foreman.cancel": ("取消", "Cancel"),
    # greeter
    "greeter.plate": ("车牌", "Plate"),
    "greeter.model": ("车型(可选)", "Model (optional)"),
    "greeter.find": ("查找", "Find"),
    "greeter.confirm": ("确认到店", "Confirm arrival"),
    "greeter.walk_in": ("直接入厂登记", "Register walk-in"),
    "greeter.undo": ("撤销", "Undo"),
    "greeter.undo_reason": ("撤销原因", "Why undo"),
    "greeter.candidates": ("请选择", "Tap the right one"),
    "greeter.done": ("已登记到店,接待计时开始", "Arrival registered: the reception clock is running"),
    "greeter.undone": ("已撤销", "Taken back"),
    "greeter.recent": ("最近登记", "Just registered"),
    # technician
    "tech.start": ("开工", "Start"),
    "tech.stop": ("中断", "Stop"),
    "tech.finish": ("完工", "Finish"),
    "tech.resume": ("继续", "Resume"),
    "tech.reason": ("中断原因", "Why stop"),
    "tech.note": ("说明(追加项目请写明)", "Note (describe any additional work)"),
    "tech.none": ("暂无作业", "No jobs for you"),
    "tech.choose": ("请选择技师", "Choose a technician"),
    "tech.planned": ("计划 {start}–{end}", "planned {start}–{end}"),
    # advisor
    "adv.arrivals": ("我的到店客户", "My arrivals"),
    "adv.received": ("已接待", "Received"),
    "adv.approvals": ("等待客户确认", "Waiting for the customer's approval"),
    "adv.preparation": ("明日预约准备", "Tomorrow's preparation"),
    "adv.ready": ("待交车", "Ready for delivery"),
    "adv.choose": ("请选择服务顾问", "Choose an advisor"),
    "adv.checked": ("已准备", "Prepared"),
    "adv.mark_prepared": ("标记已准备", "Mark prepared"),
    "adv.none": ("无", "None"),
    # reports
    "page.summary": ("当日总结", "Daily summary"),
    "page.trends": ("30 天趋势", "30-day trends"),
    "page.follow_up": ("三日回访", "3-day follow-up"),
    "kpi.arrivals_per_day": ("每日到店台次", "Cars in per day"),
    "kpi.appointment_rate": ("预约率", "Appointment rate"),
    "kpi.no_show_rate": ("爽约率", "No-show rate"),
    "kpi.within_5_min": ("5 分钟内接待", "Received within 5 min"),
    "kpi.mean_wait_s": ("平均等待", "Mean wait"),
    "kpi.on_time_delivery": ("按时交车率", "On-time delivery"),
    "kpi.first_time_right": ("一次修复率", "First-time right"),
    "kpi.qc_failures": ("质检不合格", "QC failures"),
    "kpi.rework_rate": ("返修率", "Rework (comeback) rate"),
    "kpi.utilisation": ("技师利用率", "Utilisation"),
    "kpi.efficiency": ("技师效率", "Efficiency"),
    "kpi.override_rate": ("改派率", "Dispatch override rate"),
    "kpi.arrivals": ("到店台次", "Cars in"),
    "kpi.delivered_orders": ("交车(单)", "Orders handed over"),
    "kpi.received": ("接待(台)", "Cars received"),
    "kpi.clocked_hours": ("实际工时(小时)", "Clocked (h)"),
    "kpi.shift_hours": ("出勤工时(小时)", "On shift (h)"),
    "kpi.shift_hours_so_far": ("截至 {t} 出勤工时(小时)", "On shift so far, at {t} (h)"),
    "kpi.finished_jobs": ("完工(项作业)", "Jobs finished"),
    "kpi.stages_at_close": ("收工时各阶段作业数", "Jobs per stage at close"),
    "kpi.stages_so_far": ("截至 {t} 各阶段作业数", "Jobs per stage so far, at {t}"),
    "kpi.complaint_rate": ("投诉率", "Complaint rate"),
    "kpi.complaint_counts": ("近 30 天", "last 30 days"),
    "kpi.standard": ("标准 {v}", "standard {v}"),
    "kpi.no_standard": ("无标准", "no standard"),
    "kpi.shift_full": ("全天出勤 {h} 小时", "whole day's shift {h} h"),
    "kpi.labour_hours_sold": ("售出工时", "Labour hours sold"),
    "kpi.labour_hours_of": ("已交车工单的预估工时", "estimated hours on the orders handed over"),
    "kpi.sales_amount": ("产值 {v} 元", "sales {v} yuan"),
    "kpi.no_amounts": ("产值:工单尚未记录金额", "sales: repair orders carry no amounts yet"),
    # what a count counts: never jobs beside orders without saying so
    "unit.cars": ("台", "cars"),
    "unit.bookings": ("个预约", "bookings"),
    "unit.orders": ("单", "orders"),
    "unit.jobs": ("项作业", "jobs"),
    "unit.checks": ("次质检", "QC checks"),
    "unit.hours": ("小时", "h"),
    "unit.dispatches": ("次派工", "dispatches"),
    "unit.customers": ("位回访客户", "customers reached"),
    # a figure against the shop's standard: a word and a sign, never colour alone
    "verdict.good": ("达标", "good"),
    "verdict.attention": ("需关注", "needs attention"),
    "verdict.bad": ("不达标", "bad"),
    "verdict.legend": ("✔ 达标 · ▲ 需关注:低于下限 10 个百分点内,或超出上限不到一半 · ✖ 不达标",
                       "✔ good · ▲ needs attention: within 10 points under a minimum, or less than half as much again over a maximum · ✖ bad"),
    "report.advisors": ("服务顾问", "Advisors"),
    "report.technicians": ("维修技师", "Technicians"),
    "report.name": ("姓名", "Name"),
    "report.download_csv": ("下载 CSV", "Download CSV"),
    "report.download_json": ("JSON", "JSON"),
    "report.previous": ("前一天", "Previous day"),
    "report.next": ("后一天", "Next day"),
    "report.no_data": ("—", "—"),
    "report.so_far": ("截至 {t}", "so far, at {t}"),
    "report.at_close": ("收工时", "at close"),
    "report.partial_day": ("当日尚未结束:以下为截至此刻的数据,利用率按已过的出勤工时计算。",
                           "The day is not over: these are the figures so far; utilisation is over the shift hours gone by."),
    "trend.partial_left_out": ("今日({day})尚未结束,不计入趋势:图表截至 {last}。今日数据见当日总结。",
                               "Today ({day}) is not over and is left out: the charts end on {last}. Today so far is on the daily summary."),
    "trend.standard_line": ("红色虚线为本店标准", "the dashed red line is the shop's standard"),
    "follow.due": ("今日待回访", "To call today"),
    "follow.complaints": ("未关闭投诉", "Open complaints"),
    "follow.delivered": ("交车 {t}", "handed over {t}"),
    "follow.overdue": ("逾期", "overdue"),
    "follow.resolution": ("处理结果", "Resolution"),
    "follow.close": ("关闭投诉", "Close complaint"),
    "follow.note": ("回访记录", "Call note"),
    # common
    "common.error": ("操作未完成", "Not done"),
    "common.minutes": ("{m} 分", "{m} min"),
    "common.back": ("返回", "Back"),
    "common.select": ("请选择", "Choose"),
}


def catalogue() -> dict[str, dict[str, str]]:
    """key -> {"zh": ..., "en": ...}: the pages' words and the stored values' labels."""
    words = {key: {"zh": zh, "en": en} for key, (zh, en) in PAGE_WORDS.items()}
    for (kind, value), (zh, en) in LABELS.items():
        words[f"{kind.__name__.lower()}.{value}"] = {"zh": zh, "en": en}
    for action, (zh, en) in ACTION_LABELS.items():
        words[f"action.{action.value}"] = {"zh": zh, "en": en}
    return words
